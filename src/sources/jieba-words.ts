import { createRequire } from "node:module";
import type { Jieba } from "@node-rs/jieba";
import type { WordSegmenter } from "../engine/index.ts";

/**
 * jieba's word cuts (@node-rs/jieba, prebuilt for each platform), for the forbidden-phrase rules
 * that count whole words only (a shop's "不好" is not "不好意思"). Its dictionary takes about
 * 0.3 s to load, so it loads on the first cut: a log in which no such rule has an occurrence to
 * decide never pays for it. Precise mode without HMM, so unknown words fall apart into the
 * dictionary's words rather than new ones guessed across a phrase ("这不归我管" stays 不/归/我/管).
 */
export function jiebaWords(): WordSegmenter {
  let jieba: Jieba | null = null;
  return {
    cut(text: string): string[] {
      if (!jieba) {
        const require = createRequire(import.meta.url);
        const { Jieba: Segmenter } = require("@node-rs/jieba") as typeof import("@node-rs/jieba");
        const { dict } = require("@node-rs/jieba/dict.js") as { dict: Uint8Array };
        jieba = Segmenter.withDict(dict);
      }
      return jieba.cut(text, false);
    },
  };
}
