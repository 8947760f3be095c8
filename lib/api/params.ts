import { z } from "zod";

// Path and query parameters shared by route handlers.

export const orgParams = z.object({ orgId: z.uuid() });
export const idParams = z.object({ id: z.uuid() });
export const flowParams = z.object({ flowId: z.uuid() });
/** For paths that name no org: `?orgId=`, optional for callers with a single org. */
export const orgQuery = z.strictObject({ orgId: z.uuid().optional() });
export const projectFilterQuery = z.strictObject({ projectId: z.uuid().optional() });
export const orgChildParams = <K extends string>(key: K) => z.object({ orgId: z.uuid() }).extend({ [key]: z.uuid() } as Record<K, z.ZodUUID>);
