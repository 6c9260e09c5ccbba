import { TOPIC_CARD, TOPIC_ROBOT } from "dingtalk-stream";

/**
 * What DingTalk must have for this code: an internal app (企业内部应用) with a robot receiving
 * messages in Stream mode, and the permissions its OpenAPI calls need.
 * tests/chat/setup/dingtalk-setup.test.ts holds the list to the endpoints the code calls, so a new
 * call without its permission fails a test.
 */

/** Permissions (权限管理) of the app, with what needs them; optional ones only serve `kpi doctor`. */
export const DINGTALK_PERMISSIONS = {
  qyapi_robot_sendmsg: {
    what: "企业内机器人发送消息权限: /v1.0/robot/oToMessages/batchSend and /v1.0/robot/groupMessages/send",
    optional: false,
  },
  qyapi_get_member_by_mobile: {
    what: "通讯录成员信息读权限: /topapi/v2/user/getbymobile (kpi roster sync: each agent's userid from their mobile)",
    optional: false,
  },
  qyapi_chat_manage: {
    what: "群基础信息管理: /v1.0/robot/groups/robots/query (kpi doctor: is the robot in each digest group)",
    optional: true,
  },
} as const satisfies Record<string, { what: string; optional: boolean }>;

/** The Stream topics the robot subscribes to (robot-adapter.ts): messages to it, card button presses. */
export const DINGTALK_STREAM_TOPICS = [TOPIC_ROBOT, TOPIC_CARD] as const;
