import type { Queryable } from "./database.ts";

/**
 * A statement built once per database and reused: for the queries every chat command runs, where
 * drizzle building the SQL cost more of the bot's time than PostgreSQL answering it.
 */
export function preparedPerDatabase<Statement>(
  build: (db: Queryable) => Statement,
): (db: Queryable) => Statement {
  const built = new WeakMap<Queryable, Statement>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}
