import { AppError, conflict, notFound } from "../core/errors";
import { Prisma } from "../generated/prisma/client";

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
