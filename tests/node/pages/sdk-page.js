// Functions the browser tests call in the npm test page through page.evaluate.
// window.AnalyticsBrowser comes from the bundle of analytics-next's npm build.

let analytics = null

// Note each fetch the page makes (path and keepalive flag) in sessionStorage, which
// outlives a navigation within the origin, so a test can read what was sent on unload.
const FETCH_LOG_KEY = 'trackside-fetch-log'
const pageFetch = window.fetch.bind(window)
window.fetch = (resource, init) => {
  const log = JSON.parse(sessionStorage.getItem(FETCH_LOG_KEY) || '[]')
  log.push({ path: new URL(String(resource), location.href).pathname, keepalive: Boolean(init && init.keepalive) })
  sessionStorage.setItem(FETCH_LOG_KEY, JSON.stringify(log))
  return pageFetch(resource, init)
}

// Load analytics-next with its settings fetched from cdnURL (Trackside).
// Pass segmentSettings to override the Segment.io destination's settings,
// for example its deliveryStrategy.
async function loadAnalytics(writeKey, cdnURL, segmentSettings) {
  const options = segmentSettings ? { integrations: { 'Segment.io': segmentSettings } } : {}
  const [loaded] = await AnalyticsBrowser.load({ writeKey, cdnURL }, options)
  analytics = loaded
  return analytics.user().anonymousId()
}

function summary(context) {
  return { type: context.event.type, messageId: context.event.messageId }
}

// Send track, identify, page, screen, group and alias; resolve when each was delivered.
async function sendEveryCallType(userId) {
  const contexts = []
  contexts.push(await analytics.track('Order Completed', {
    order_id: 'o-1',
    revenue: 19.99,
    currency: 'EUR',
    products: [{ sku: 'SKU-1', price: 19.99, quantity: 1 }],
    place: { name: 'Café ☕', tags: ['naïve', '日本語', 'emoji 🎉'] },
  }))
  contexts.push(await analytics.identify(userId, { email: 'zoe@example.com', name: 'Zoë Ångström 小林' }))
  contexts.push(await analytics.page('Docs', 'Getting Started', { section: 'intro' }))
  contexts.push(await analytics.screen('Home', { variant: 'b' }))
  contexts.push(await analytics.group('grp-1', { name: 'Überschall GmbH', employees: 12 }))
  contexts.push(await analytics.alias(userId, 'anon-previous-1'))
  return contexts.map(summary)
}

// Send count track calls at once. Resolves when each was delivered, or, in batching
// mode, added to the batch (the call that fills a batch resolves after sending it).
async function trackMany(count, event) {
  const calls = []
  for (let index = 0; index < count; index++) {
    calls.push(analytics.track(event, { index, label: `row ${index} ✓` }))
  }
  return (await Promise.all(calls)).map(summary)
}

// Post a body with navigator.sendBeacon, as pages do on unload: a text/plain;charset=UTF-8 string.
function sendBeacon(url, body) {
  return navigator.sendBeacon(url, JSON.stringify(body))
}
