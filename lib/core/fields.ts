import { z } from "zod";

// Field rules shared by the request schemas of the org configuration (projects, pools,
// queues, flows, triggers).

export const name = z.string().trim().min(1).max(120);
export const limit = z.number().int().min(0).max(1_000_000);
export const positiveLimit = z.number().int().min(1).max(1_000_000);
export const id = z.uuid();
