import { test, type APIRequestContext, type PlaywrightWorkerArgs } from "@playwright/test";
import { storageFor } from "./helpers";

/** A platform admin's API client (signed-in state from auth.setup.ts), for test set-up and checks. */
export async function adminApi(playwright: PlaywrightWorkerArgs["playwright"]): Promise<APIRequestContext> {
  return playwright.request.newContext({ baseURL: test.info().project.use.baseURL, storageState: storageFor("platform-admin") });
}

export const DEMO_SLUGS = { "Acme Corp": "acme", "Beta Inc": "beta", "Gamma LLC": "gamma" } as const;
export type DemoOrg = keyof typeof DEMO_SLUGS;

/** The seeded orgs' ids, by name. */
export async function demoOrgs(admin: APIRequestContext): Promise<Record<DemoOrg, { id: string }>> {
  const orgs: { organizationId: string; name: string }[] = await (await admin.get("/api/fair-scheduler/orgs")).json();
  const byName = (name: DemoOrg) => ({ id: orgs.find((o) => o.name === name)!.organizationId });
  return { "Acme Corp": byName("Acme Corp"), "Beta Inc": byName("Beta Inc"), "Gamma LLC": byName("Gamma LLC") };
}
