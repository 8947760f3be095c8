import { z } from "zod";

/** Every id Slotwise hands out is a UUID; anything else names nothing (a 404, never a database error). */
const uuid = z.uuid();

export function isId(value: string): boolean {
  return uuid.safeParse(value).success;
}
