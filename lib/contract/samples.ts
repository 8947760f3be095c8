import { z } from "zod";
import { id, time } from "./fields";

// In-flight and queued over time, for the charts.

const samplePoint = z.strictObject({ at: time, inFlight: z.number().min(0), queued: z.number().min(0) });

export const samples = z.strictObject({
  since: time.describe("start of the window served"),
  bucketSeconds: z.number().int().min(1),
  points: z.array(samplePoint),
});

export const flowSamples = samples.extend({ flowId: id });

export const platformSamples = z.strictObject({
  since: time.describe("start of the window served"),
  bucketSeconds: z.number().int().min(1),
  series: z.array(z.strictObject({ organizationId: id, name: z.string() })).describe("the named orgs, busiest first"),
  hasOther: z.boolean().describe("whether some orgs were summed into `other`"),
  points: z.array(
    z.strictObject({
      at: time,
      inFlight: z.record(id, z.number().min(0)).describe("average in-flight per named org (absent = 0)"),
      other: z.number().min(0).describe("everyone not named, summed"),
    }),
  ),
});

export type Samples = z.infer<typeof samples>;
export type FlowSamples = z.infer<typeof flowSamples>;
export type PlatformSamples = z.infer<typeof platformSamples>;
