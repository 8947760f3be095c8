/** `npm run db:seed`: demo data on an empty database (runs through scripts/with-db.ts). */
import { closeDb, prisma } from "../lib/db/client";
import { DEMO_LOGINS, seedDemo } from "../tooling/demo/seed";

const { seeded } = await seedDemo(prisma());
console.log(seeded ? "Seeded the demo data. Logins:" : "The database already has organizations; nothing seeded. Demo logins (if it was seeded before):");
for (const l of DEMO_LOGINS) console.log(`  ${l.email.padEnd(22)} ${l.password}   (${l.role})`);
await closeDb();
