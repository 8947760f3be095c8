import { z } from "zod";
import { AppError, conflict, notFound } from "./errors";
import { Prisma } from "../generated/prisma/client";

/** Shared pieces of the org configuration CRUD (projects, pools, queues, flows, triggers). */
export const name = z.string().trim().min(1).max(120);
export const limit = z.number().int().min(0).max(1_000_000);
export const positiveLimit = z.number().int().min(1).max(1_000_000);
export const id = z.uuid();

/** Maps Prisma's "unique" and "not found" errors onto the API's error contract. */
export function translatePrismaError(error: unknown, what: string, namesUniqueIn = "this organization"): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") throw conflict("already_exists", `A ${what} with that name already exists in ${namesUniqueIn}.`);
    if (error.code === "P2025") throw notFound(what[0]!.toUpperCase() + what.slice(1));
    if (error.code === "P2003") throw conflict("in_use", `The ${what} is still referenced (for example by executions).`);
  }
  if (error instanceof AppError) throw error;
  throw error;
}
