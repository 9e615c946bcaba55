-- POST /v1/t as analytics.js sends it: Content-Type text/plain (no CORS
-- preflight) and the write key in the body, not in a header.
dofile("common.lua")

local headers = {["Content-Type"] = "text/plain", ["Origin"] = "http://shop.example"}

function request()
   local timestamp = iso_now()
   local body = '{"timestamp":"' .. timestamp .. '","integrations":{},"event":"Product Viewed","type":"track",'
      .. '"properties":{"product_id":"sku-' .. math.random(1, 500) .. '","price":19.99,"currency":"USD"},'
      .. '"context":{"page":{"path":"/products/1","referrer":"","search":"","title":"Shop",'
      .. '"url":"http://shop.example/products/1"},"userAgent":"Mozilla/5.0 (X11; Linux x86_64)",'
      .. '"locale":"en-US","library":{"name":"analytics.js","version":"npm:next-1.84.3"},"campaign":{},'
      .. '"timezone":"UTC"},"messageId":"ajs-next-' .. random_uuid() .. '",'
      .. '"anonymousId":"' .. random_uuid() .. '","writeKey":"' .. write_key .. '","userId":null,'
      .. '"sentAt":"' .. timestamp .. '","_metadata":{"bundled":["Segment.io"],"unbundled":[],"bundledIds":[]}}'
   return wrk.format("POST", "/v1/t", headers, body)
end
