// serverless-offline 14.8.2 gives every Lambda proxy response a Content-Type of
// application/json when the function sets none, 204 No Content included; a 204 has no
// body and so no content type (RFC 9110 §15.3.5), and the functions send none
// (handlers/shared/http.py). This narrows that default to responses that can have a
// body. Run by `npm ci` (package.json "postinstall"); it fails the install loudly if the
// pinned file no longer has the expected text (an upgrade: check whether it is still
// needed), and does nothing if the file is already patched.
import { readFileSync, writeFileSync } from "node:fs"

const file = new URL(
  "../node_modules/serverless-offline/src/events/http/HttpServer.js",
  import.meta.url,
)
const before = `        response.header("Content-Type", "application/json", {
          duplicate: false,
          override: false,
        })
`
const after = `        if (statusCode !== 204 && statusCode !== 304) {
          response.header("Content-Type", "application/json", {
            duplicate: false,
            override: false,
          })
        }
`
const text = readFileSync(file, "utf8")
if (text.includes(after)) {
  process.exit(0)
}
if (text.split(before).length !== 2) {
  console.error(`scripts/patch_offline.mjs: ${file.pathname} is not the file this patch knows`)
  process.exit(1)
}
writeFileSync(file, text.replace(before, after))
console.log("patched serverless-offline: no default Content-Type on 204/304")
