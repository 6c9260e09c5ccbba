/**
 * "1,234.5", "-3", "12" → number; a misplaced comma ("1,23") is no number. Read digit by digit:
 * a month of exports holds millions of them, and a regular expression, the commas taken out and
 * Number() over the rest cost several times as much.
 */

const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const POINT = 0x2e;

/** 10^0 … 10^15: every one exact as a double. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** Thousands groups: the first of 1 to 3 digits, every later one of 3. */
const groupEnds = (digits: number, grouped: boolean) => digits > 0 && (grouped ? digits === 3 : true);

export function plainNumber(text: string): number | undefined {
  const first = text.charCodeAt(0);
  let i = first === PLUS || first === MINUS ? 1 : 0;
  let mantissa = 0;
  let digits = 0;
  let groupDigits = 0;
  let grouped = false;
  let fractionDigits = -1; // -1: no decimal point yet
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (fractionDigits >= 0) fractionDigits++;
      else groupDigits++;
    } else if (c === COMMA && fractionDigits < 0) {
      if (!groupEnds(groupDigits, grouped) || groupDigits > 3) return undefined;
      grouped = true;
      groupDigits = 0;
    } else if (c === POINT && fractionDigits < 0) {
      if (!groupEnds(groupDigits, grouped)) return undefined;
      fractionDigits = 0;
    } else return undefined;
  }
  if (fractionDigits === 0 || (fractionDigits < 0 && !groupEnds(groupDigits, grouped))) return undefined;
  // Up to 15 digits the mantissa is exact, and an exact integer ÷ an exact power of ten is
  // the double nearest the decimal: what Number() gives.
  if (digits > 15) return Number(text.replaceAll(",", ""));
  const value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits]! : mantissa;
  return first === MINUS ? -value : value;
}
