// Runs the graphql-http server audit against the URL in argv[2]; prints one JSON array.
const { auditServer } = require('graphql-http');
(async () => {
  const results = await auditServer({ url: process.argv[2], fetchFn: fetch });
  console.log(JSON.stringify(results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason }))));
})().catch((e) => { console.error(e); process.exit(2); });
