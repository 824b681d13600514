import Foundation
import Testing

/// `GET /docs` serves the API page, self-contained (it loads nothing from outside: no CDN), and
/// `/redoc` leads to it. Tests/browser/run drives the page in chromium.
@Suite struct DocsPageTests {
    @Test func theAPIPageIsServedWholeAndRedocLeadsToIt() throws {
        let scene = try GatewayScene(flow: "jtype: Flow\nexecutors:\n  - {name: up, uses: UpperCase}\n")
        defer { scene.cleanUp() }
        let gateway = try scene.serve()
        let page = try gateway.get("/docs")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.text.contains("fetch(\"/openapi.json\")") && page.text.contains("<form id=\"send\">"))
        // Nothing fetched from another origin: no src= or href= to http(s)://, no @import.
        for pattern in ["src=\"http", "href=\"http", "@import", "//cdn"] {
            #expect(!page.text.contains(pattern), "the page loads \(pattern)…")
        }
        let redoc = try gateway.get("/redoc")
        #expect(redoc.status == 302 && redoc.headers["location"] == "/docs")
        let spec = try gateway.get("/openapi.json").json()
        #expect((spec["paths"] as? [String: Any])?["/docs"] != nil)
        #expect(gateway.stop() == 0)
    }
}
