// Entry of the browser bundle: exposes the npm build of analytics-next to the test page.
import { AnalyticsBrowser } from '@segment/analytics-next'

window.AnalyticsBrowser = AnalyticsBrowser
