/**
 * A copy of a string that does not keep the text it was cut from alive. V8 makes a slice of 13
 * characters or more a view into its parent: an agent name kept in a record would hold on to
 * the whole decoded export (twice the file's size) for as long as the record lives. Joining
 * it to another string and cutting that off again copies it into a string of its own.
 */

/** V8's SlicedString::kMinLength: shorter slices are copies already. */
const SHORTEST_VIEW = 13;

export function detached(text: string): string {
  return text.length < SHORTEST_VIEW ? text : ` ${text}`.slice(1);
}
