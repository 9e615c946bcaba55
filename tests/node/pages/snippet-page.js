// A stand-in for Segment's snippet, with the same contract: window.analytics is an
// array that buffers calls until analytics.min.js loads, with _writeKey and _cdn set.
// Query parameters: writeKey, cdn (Trackside's origin) and script (the URL of
// analytics.min.js; "cdn" means <cdn>/analytics.js/v1/<writeKey>/analytics.min.js,
// the path the unmodified snippet loads).
const parameters = new URLSearchParams(location.search)
const writeKey = parameters.get('writeKey')
const cdn = parameters.get('cdn')
const script = parameters.get('script')

const buffer = []
buffer._writeKey = writeKey
buffer._cdn = cdn
for (const method of ['track', 'identify', 'page', 'screen', 'group', 'alias']) {
  buffer[method] = (...args) => {
    buffer.push([method, ...args])
    return buffer
  }
}
window.analytics = buffer

const tag = document.createElement('script')
tag.async = true
tag.src = script === 'cdn' ? `${cdn}/analytics.js/v1/${writeKey}/analytics.min.js` : script
document.head.appendChild(tag)

const userId = parameters.get('userId')
analytics.page('Docs', 'Snippet')
analytics.track('Snippet Loaded', { name: 'Café ☕', tags: ['日本語', 'emoji 🎉'] })
analytics.identify(userId, { email: 'zoe@example.com' })
analytics.group('grp-1', { name: 'Überschall GmbH' })
analytics.alias(userId, 'anon-previous-1')
