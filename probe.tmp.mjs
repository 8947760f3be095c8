import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const p = await b.newPage();
p.on("console", (m) => console.log("console", m.type(), m.text().slice(0, 300)));
p.on("framenavigated", (f) => { if (f === p.mainFrame()) console.log("nav", f.url()); });
p.on("websocket", (ws) => { console.log("ws", ws.url()); ws.on("framereceived", (d) => console.log("  ws<", String(d.payload).slice(0, 200))); ws.on("close", () => console.log("  ws closed")); });
await p.goto(`http://localhost:3221${process.argv[2] ?? "/login"}`);
await p.waitForTimeout(6000);
await b.close();
