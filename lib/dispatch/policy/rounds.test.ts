import { describe, expect, it } from "vitest";
import { pickFair, type Lane } from "./fair-order";
import { pickInRounds, type RoundOrg } from "./rounds";
import { scopeKey } from "./scopes";

// How much the rounds look at (their picks are pickFair's: fair-order.property.test.ts).

/** `orgs` orgs with `lanes` lanes each (one per flow), `queued` waiting per lane, nothing in flight. */
function world(orgs: number, lanes: number, queued: number) {
  const all: Lane[] = [];
  let seq = 0;
  for (let o = 0; o < orgs; o++) {
    for (let l = 0; l < lanes; l++) {
      const orgId = `org-${o}`;
      all.push({
        laneId: all.length + 1,
        placement: { orgId, projectId: `${orgId}-p`, poolId: null, flowId: `${orgId}-f${l}`, queueId: `${orgId}-q`, kind: "job", depth: 0, parentId: null, rootId: null },
        queuePriority: 0,
        caps: [{ code: "org", scope: scopeKey.org(orgId), limit: 8 }, { code: "flow", scope: scopeKey.flow(`${orgId}-f${l}`), limit: 3 }],
        heads: Array.from({ length: queued }, () => ({ id: `e${++seq}`, seq, priority: 0, resumeFirst: false })),
      });
    }
  }
  return all;
}

describe("the rounds look at little", () => {
  it("decide a claim in one round when every org is at the same load ratio (nothing in flight), with the picks of pickFair", async () => {
    // Found by the mixed-world bench (#16): each org was shown only the lanes its water-level
    // slots needed, so every org with a lane left unseen was sent back for more, and each claim
    // ran pickFair nearly three times.
    const lanes = world(50, 5, 20);
    const heads = new Map(lanes.map((l) => [l.laneId, l.heads]));
    const orgs: RoundOrg[] = [...new Set(lanes.map((l) => l.placement.orgId))].map((orgId) => ({
      orgId, weight: 1, capacity: 8,
      lanes: lanes.filter((l) => l.placement.orgId === orgId).map((l) => ({ lane: { ...l, heads: l.heads.slice(0, 1) }, queued: l.heads.length }))[Symbol.iterator](),
    }));
    let loads = 0;
    const picks = await pickInRounds(orgs, new Map(), 10, async (wanted) => {
      loads++;
      for (const { lane, count } of wanted) lane.heads = heads.get(lane.laneId)!.slice(0, Math.max(1, count));
    });
    expect(picks).toEqual(pickFair(lanes, new Map(orgs.map((o) => [o.orgId, 1])), new Map(), 10));
    expect(loads).toBe(1);
  });

  it("look at an org's lanes only as far as the slots it can win, and one beyond, when nothing shows the rest could matter", async () => {
    // Found by the limits bench (#16): each of 50 orgs was shown its first `limit` lanes, so a
    // claim of 10 looked at 500 lanes of a keyed world and evaluated every cap of each.
    const lanes = world(50, 8, 20);
    const heads = new Map(lanes.map((l) => [l.laneId, l.heads]));
    let looked = 0;
    const orgs: RoundOrg[] = [...new Set(lanes.map((l) => l.placement.orgId))].map((orgId) => ({
      orgId, weight: 1, capacity: 8,
      lanes: (function* () {
        for (const l of lanes.filter((x) => x.placement.orgId === orgId)) {
          looked++;
          yield { lane: { ...l, heads: l.heads.slice(0, 1) }, queued: l.heads.length };
        }
      })(),
    }));
    const picks = await pickInRounds(orgs, new Map(), 10, async (wanted) => {
      for (const { lane, count } of wanted) lane.heads = heads.get(lane.laneId)!.slice(0, Math.max(1, count));
    });
    expect(picks).toEqual(pickFair(lanes, new Map(orgs.map((o) => [o.orgId, 1])), new Map(), 10));
    expect(looked).toBeLessThanOrEqual(2 * 50);
  });
});
