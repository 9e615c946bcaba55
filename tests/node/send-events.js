// Sends events to a Trackside server with the official @segment/analytics-node client.
//
// Reads a JSON config on stdin:
//   {"host": "http://127.0.0.1:PORT", "writeKey": "...", "userId": "...",
//    "scenario": "calls" | "batch", "count": 250, "maxRetries": 3}
// and prints one JSON object on stdout: the package version, every request
// body the client sent (parsed), the HTTP status of every response, and the
// delivery errors it reported.
const fs = require('fs')
const path = require('path')
const { Analytics } = require('@segment/analytics-node')

const PACKAGE_FILE = path.join(__dirname, 'node_modules', '@segment', 'analytics-node', 'package.json')

function readConfig() {
  return JSON.parse(fs.readFileSync(0, 'utf8'))
}

function sendEveryCallType(analytics, userId) {
  analytics.track({
    userId,
    event: 'Order Completed',
    properties: {
      order_id: 'o-1',
      revenue: 19.99,
      currency: 'EUR',
      products: [{ sku: 'SKU-1', price: 19.99, quantity: 1 }],
      place: { name: 'Café ☕', tags: ['naïve', '日本語', 'emoji 🎉', '👩‍💻'] },
      when: new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123)),
    },
  })
  analytics.identify({ userId, traits: { email: 'zoe@example.com', name: 'Zoë Ångström 小林' } })
  analytics.page({ userId, category: 'Docs', name: 'Getting Started', properties: { path: '/docs/start' } })
  analytics.screen({ userId, name: 'Home', properties: { variant: 'b' } })
  analytics.group({ userId, groupId: 'grp-1', traits: { name: 'Überschall GmbH', employees: 12 } })
  analytics.alias({ userId, previousId: 'anon-1' })
  analytics.track({ anonymousId: 'anon-1', event: 'Product Viewed', properties: { product_id: 'p-9' } })
}

function sendBatch(analytics, userId, count) {
  for (let index = 0; index < count; index++) {
    analytics.track({ userId, event: 'Row Viewed', properties: { index, label: `row ${index} ✓` } })
  }
}

async function main() {
  const config = readConfig()
  const analytics = new Analytics({
    writeKey: config.writeKey,
    host: config.host,
    maxRetries: config.maxRetries ?? 3,
    flushInterval: 200,
    httpRequestTimeout: 10000,
  })
  const requests = []
  const statuses = []
  const errors = []
  analytics.on('http_request', (request) => requests.push(JSON.parse(request.body)))
  analytics.on('http_response', (response) => statuses.push(response.status))
  analytics.on('error', (error) => errors.push(String(error.reason ?? error.code ?? error)))

  if (config.scenario === 'batch') {
    sendBatch(analytics, config.userId, config.count)
  } else {
    sendEveryCallType(analytics, config.userId)
  }
  await analytics.closeAndFlush({ timeout: 60000 })

  const version = JSON.parse(fs.readFileSync(PACKAGE_FILE, 'utf8')).version
  process.stdout.write(JSON.stringify({ version, requests, statuses, errors }))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
