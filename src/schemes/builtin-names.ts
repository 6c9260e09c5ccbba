/** The schemes shipped in builtin/, by name; alone in this file so that usage texts can name them without loading the scheme reader. */
export const BUILTIN_SCHEMES = [
  "presales",
  "aftersales",
  "presales-qa",
  "aftersales-qa",
  "supervisor",
  "trainee",
  "seed-example",
  "presales-rated",
] as const;
