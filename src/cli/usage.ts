import { BUILTIN_SCHEMES } from "../schemes/builtin-names.ts";

/**
 * What `kpi help` and `kpi <command> --help` print, one text per command: here rather than in
 * each command's file so that printing them loads none of the commands (a command's modules take
 * seconds to load: the chat SDKs, charts, spreadsheets).
 */

export const scoreUsage = `kpi score --input <file> [--scheme <name|file>[,…]] [--period <period>]
          [--format table|json] [--explain] [--lang zh|en]
kpi score [--period <period>] [--date YYYY-MM-DD] [--agent <id|name>]
          [--format table|json] [--lang zh|en] [--config <file>]

  Without --input, ranks a period's scorecards from the database, the ones /kpi me and the
  digests show (scored and saved first when its figures or the configuration changed since);
  --agent shows one agent's whole scorecard.

  --input    per-agent figures, JSON or CSV (README, "Input files"); UTF-8 or GBK
  --scheme   built-in scheme (${BUILTIN_SCHEMES.join(", ")}) or a YAML/JSON file;
             several, comma-separated, score several roles (default: presales,aftersales,supervisor,trainee)
  --period   a period as /kpi takes it (README, "Periods"): a word counted from today
             (Asia/Shanghai), e.g. yesterday, week, last-month, or a key, e.g. 2026-11-23,
             2026-W47, 2026-11; with --input, the records are rolled up into it first.
             From the database the default is yesterday
  --date     count the period words from this day instead of today; alone, that day
  --format   table (default) or json
  --explain  add what it takes to reach the next grade
  --lang     zh (default, or KPI_LANG) or en`;

export const metricsUsage = `kpi metrics --messages <file> [--orders <file>] [--ratings <file>] [--reviews <file>]
          [--window 2] [--profile generic|jd|taobao|pdd|<shop>=<profile>,…] [--time-zone Asia/Shanghai]
          [--phrases <file>] [--session-gap 1000000] [--threads N] [--only families] [--format table|json|csv] [--lang zh|en]
          [--config <file>]

  --messages     raw chat log, CSV or JSON Lines (docs/chatlog.md); orders, ratings, reviews likewise
  --config       whose chatlog section and shops' time zones apply, as on kpi import (default:
                 KPI_CONFIG, else ./kpi.config.yaml if there is one); the flags below override it
  --window       attribution window for conversion, in days (default 2)
  --profile      platform rules, for every shop or per shop: jd, or 旗舰店=jd,专卖店=taobao
  --time-zone    one shop-local time zone for every shop (default: each configured shop's, else Asia/Shanghai)
  --phrases      forbidden-phrase rule file: @documents, @suggested, a shop's own phrases with
                 options, [shop] sections (docs/chatlog.md; default: the documents' 不知道, 随便你, 绝对正品)
  --session-gap  a session is complete once none of its lines came for this many lines
  --threads      cores to read a large CSV with (default: all, up to 8)
  --only         families to compute: response,resolution,concurrency,sales,feedback (default all);
                 response alone keeps memory to what open sessions hold
  --format       table (default), json (figures, facts and stats) or csv (the figures file kpi score reads)`;

export const dbUsage = `kpi db migrate [--config <file>]
kpi db check [--repair] [--config <file>]

  migrate: creates the database or brings it up to date (the bot also does this at start-up):
  PostgreSQL when DATABASE_URL is set, else the embedded PGlite database in ./data.
  check: lists the periods owed a re-score (figures stored, cards not yet scored from them, as a
  crash can leave them) and the cards that do not match their figures; exits 1 when there are any.
  --repair scores them all, and exits 1 only if something is still out of date afterwards`;

export const demoUsage = `kpi demo [--days 90] [--end YYYY-MM-DD] [--seed 1] [--config <file>]

  Loads the demo shop (two teams, about 12 agents of each role, a Double 11 peak, a few
  struggling agents, bad reviews) into the database and scores every day, week and month.
  --end defaults to yesterday (Asia/Shanghai); loading again is safe: unchanged days are skipped.`;

export const chatUsage = `kpi chat --as <agent id or name> [command …] [--lang zh-CN|en] [--config <file>]

  Talks to the bot as an agent, in the terminal: the /kpi commands (me, team, top, help …)
  answered from the database, periods as /kpi reads them (\`help\`, or README's "Periods").
  With a command after the options, answers it and exits; without, reads commands line by
  line until end of input.`;

export const digestUsage = `kpi digest --team <id> [--period <period>] [--kind daily|weekly|monthly] [--date YYYY-MM-DD]
           [--preview] [--platform console|slack|feishu|dingtalk] [--chart <file.png>]
           [--lang zh|en] [--config <file>]

  A team's daily, weekly or monthly digest. --preview prints what would be sent, as the platform
  gets it, and sends nothing; without it the digest is queued for the running bot to send (once:
  a digest already sent is not queued again). --chart saves the trend chart.
  --period  a period as /kpi takes it (README, "Periods"), counted in the team's time zone:
            yesterday, last-week, last-month, 2026-W47, 2026-11 … (week and month are this
            week and this month so far); its kind says which digest
  --kind    daily, weekly or monthly. Without --period: the last complete day, week or month
            (yesterday, last week, last month), what the scheduled digest covers
  --date    count the period words, and the last complete period, from this day instead of today
  --lang    the words around the digest: zh (default, or KPI_LANG) or en; the digest itself is in
            the team's language`;

export const qaUsage = `kpi qa [--period <period>] [--team <id|name>] [--agent <id|name>]
       [--format table|csv|json] [--export <file.xlsx|file.csv>] [--lang zh|en] [--config <file>]

  The 质检报告: per agent and per team, the conversations of the period's days picked for review,
  rated, pending and overdue, each criterion's pass rate (pass/fail) or mean (1–5), the mean QA
  score (0–100), and the reviewers' notes (docs/qa.md). Works beside a running bot.
  --period  a period as /kpi takes it (README, "Periods"); default last-week
  --team    only this team's agents; --agent only this agent
  --format  table (default), csv or json on standard output
  --export  also write the report to an xlsx workbook (sheets: agents, teams, notes) or a CSV
            file (UTF-8 with BOM, for Excel); with --export, standard output stays empty unless
            --format csv or json is given
  --lang    the report's words: zh (default, or KPI_LANG) or en`;

export const importUsage = `kpi import <file> [--source chitu|jd|pdd|douyin|generic|chatlog|<source id>] [--date YYYY-MM-DD]
          [--shop <shop id>] [--strict] [--orders F] [--ratings F] [--reviews F] [--config <file>]
          [--phrases <file>] [--profile <profile>|<shop>=<profile>,…] [--window N] [--time-zone Z]

  Imports one file in one transaction: all of it, or nothing when a row is bad (every bad row
  is listed with line, column, value and reason). The same file twice is a no-op; a corrected
  file for a day replaces that day's figures of the agents in it and is audited. The days it
  touches are scored again.
  --source  the export's kind (detected from its header row when left out), chatlog for a raw
            chat log (with --orders/--ratings/--reviews), or a source id from the configuration
  --date    the day of a file without a date column
  --shop    the shop the file is from (default: the source's, or the only configured shop)
  --strict  refuse, before storing anything, an export that gives a rate or an average only as a
            finished figure (no week or month can add it up; without --strict it is stored with a
            warning, and those cards show the item as not combinable)
  Exit 3: the figures are stored but a period could not be scored (it stays owed; said why).
  A chat log is measured as the configuration's chatlog section says, as kpi metrics measures it;
  for this one file, these flags override it (docs/chatlog.md):
  --phrases    forbidden-phrase rule file (@documents, @suggested, a shop's own phrases, [shop])
  --profile    platform rules for every shop (jd) or per shop as the log names it (旗舰店=jd,…)
  --window     conversion's attribution window, in days
  --time-zone  one time zone for every shop, instead of each shop's own`;

export const pullUsage = `kpi pull [--date YYYY-MM-DD] [--source <id>[,…]] [--config <file>]

  Pulls every configured source (or those named) as the schedule does, imports and scores:
  by default each source's usual day (today minus its lagDays); --date pulls that day's figures.`;

export const startUsage = `kpi start [--once] [--date YYYY-MM-DD] [--verbose] [--log-format json|pretty] [--config <file>]

  Runs the bot: creates or migrates the database, loads the demo shop on the embedded default,
  then pulls, scores, posts digests and nudges on the configured schedules and answers chat
  commands until stopped (SIGINT/SIGTERM: the jobs and sends under way are finished first).
  --once        one full cycle: the start-up work, the missed schedules, the console's digests and
                nudges, every message due sent; then exit
  --date        run as if it were noon of that day, Shanghai time (e.g. a Monday: the weekly
                digest and the 质检 batch of the week before)
  --verbose     on a terminal, show the log's info lines too (human lines on stderr); without
                it a terminal shows only warnings and errors
  --log-format  json or pretty (default: pretty on a terminal, json otherwise; or KPI_LOG_FORMAT).
                The log goes to stderr, the console's story to stdout; KPI_LOG_LEVEL sets the level`;

export const setupUsage = `kpi setup slack --url <public https URL> [--mode http|socket] [--name "KPI bot"] [--format yaml|json]
kpi setup feishu --url <public https URL> [--mode http|websocket]
kpi setup dingtalk [--mode robot|webhook] [--url <public https URL>]

  What to create on the platform for this bot. slack: the app manifest (slash command /kpi, its
  events, interactivity, every scope the code uses, request URLs under --url) to paste into
  "Create New App → From an app manifest", on standard output; the steps after it on standard
  error. feishu: the permissions (and their batch-import JSON), the event subscription and the
  card callback URL. dingtalk: the internal app's robot (Stream mode) and its permissions, or the
  custom group robot. --url is not needed in socket, websocket or robot mode.`;

export const doctorUsage = `kpi doctor [--config <file>]

  Checks, one line each (✓ or ✗ with how to fix it): the configuration loads; the environment
  variables the configured platforms and sources need are set; the database answers (DATABASE_URL,
  else the embedded one) and how many migrations are applied; each platform's credentials (Slack
  auth.test and scopes, Feishu tenant token, DingTalk access token) and that the bot is in each
  team's digest channel. Changes nothing. Exit 0: all well; 1: something to fix. Never prints a secret.`;
export const initUsage = `kpi init [--shop <id>:<name>:<platform>]… [--team <id>:<name>[:<shop>]]… [--roster <file>]
         [--platform slack|feishu|dingtalk|console] [--channel <team>=<channel id>]…
         [--time-zone Asia/Shanghai] [--config <file>] [--force]

  Writes a first kpi.config.yaml (or --config) from the team's roster and a few answers, asked on
  a terminal when not given as flags, checked before it is written; then prints the next steps.
  --shop      a shop: id, name as the back office shows it, platform (taobao, jd, pdd, douyin, other)
  --team      a team up front; the roster's other teams are added (an id made up for a Chinese name)
  --roster    CSV (UTF-8 or GBK) or xlsx, one agent a row; columns name/姓名, role/岗位, team/组,
              supervisor/主管, account/客服账号, email/邮箱, mobile/手机 (and id/工号, shop/店铺).
              A bad row is named by row and column, and nothing is written (exit 2)
  --platform  the chat platform the team uses (console: none yet)
  --channel   where a team's digests go on the platform (Slack C…, Feishu oc_…, DingTalk cid…)
  --force     replace an existing file`;

export const rosterUsage = `kpi roster sync --from slack|feishu|dingtalk [--yes] [--dry-run] [--config <file>]

  Finds each agent's chat user id in the platform's directory by the email or mobile of the
  configuration (Slack users.lookupByEmail, then users.list by a name only one member has;
  Feishu contact/v3/users/batch_get_id; DingTalk getbymobile), shows what it matched and what not, and on confirmation writes the ids into the
  configuration file (comments kept) and the database, audited as roster.chat-ids. Credentials
  come from the bot's environment variables (SLACK_BOT_TOKEN; FEISHU_APP_ID, FEISHU_APP_SECRET;
  DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET). A platform error writes nothing.
  --yes      write without asking (needed without a terminal)
  --dry-run  show what would be written, and write nothing`;
