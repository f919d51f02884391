import Foundation
import Testing

/// The task page's review panel in the console: threads, replies, resolving, internal comments, approvers and
/// their decisions — posted as a browser posts forms, read back as each side's page.
@Suite("The console: comments and approvals on the task page")
struct ConsoleReviewTests {
    @Test("a brand thread, an internal note and the agency's reply; approvers pending and decided, by name")
    func reviewPanel() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let agency = try await s.organization("Pixel", "agency")
            let ana = try await s.person(brand, "Ana Lopez")
            let ben = try await s.person(brand, "Ben Okafor")
            let policy = #"{"mode":"all","approvers":["\#(ana.id)","\#(ben.id)"]}"#
            let (project, task) = try await s.delivered(brand, agency, approval: policy)
            let (manager, _) = try await s.signIn(ana.token)
            let url = "/console/projects/\(project)"
            var page = try await manager.get(url)
            #expect(page.text.contains("Every one of Ana Lopez, Ben Okafor"))
            #expect(page.text.contains("No comment yet."))

            // A thread about round 1, with markup that must stay text, then an internal note.
            func post(_ visitor: ConsoleVisitor, _ html: String, form: String, _ fields: [(String, String)])
                async throws
                -> Reply
            {
                let csrf = try #require(ConsoleVisitor.hidden("csrf", in: html))
                let key = try #require(ConsoleVisitor.hidden("form_key", in: html, form: form))
                let action = "/console/projects/\(project)/tasks/\(task)/comments"
                return try await visitor.post(action, [("csrf", csrf), ("form_key", key)] + fields)
            }
            let newForm = "comment-\(task)-new"
            var r = try await post(
                manager, page.text, form: newForm, [("body", "Logo <b>bigger</b> please"), ("round", "1")])
            #expect(r.status == 303, "\(r.text)")
            page = try await manager.get(url)
            r = try await post(
                manager, page.text, form: newForm, [("body", "INTERNAL-19 the CFO hates it"), ("internal", "on")])
            #expect(r.status == 303, "\(r.text)")
            page = try await manager.get(url)
            #expect(page.text.contains("Logo &lt;b&gt;bigger&lt;/b&gt; please") && !page.text.contains("<b>bigger"))
            #expect(page.text.contains("INTERNAL-19") && page.text.contains("badge internal"))
            #expect(page.text.contains("about round 1"))

            // The agency sees the thread, never the internal note, and answers.
            let (studio, _) = try await s.signIn(agency.token)
            var theirs = try await studio.get(url)
            #expect(theirs.text.contains("Logo &lt;b&gt;bigger&lt;/b&gt; please"))
            #expect(!theirs.text.contains("INTERNAL-19"))
            #expect(!theirs.text.contains("name=\"internal\""), "an agency writes no internal comment")
            let thread = try #require(try await s.comments(agency.token, project, task).first?["id"] as? String)
            r = try await post(studio, theirs.text, form: "comment-\(task)-\(thread)", [("body", "Done in cut 2")])
            #expect(r.status == 303, "\(r.text)")
            theirs = try await studio.get(url)
            #expect(theirs.text.contains("Done in cut 2"))

            // Ana resolves the thread; Ben approves from the API: the page names who decided and who is pending.
            page = try await manager.get(url)
            let csrf = try #require(ConsoleVisitor.hidden("csrf", in: page.text))
            let resolve = "/console/projects/\(project)/tasks/\(task)/comments/\(thread)/resolve"
            let resolveKey = try #require(
                page.text.range(of: "action=\"\(resolve)\"").map { page.text[$0.upperBound...] }.flatMap {
                    ConsoleVisitor.hidden("form_key", in: String($0))
                })
            r = try await manager.post(resolve, [("csrf", csrf), ("form_key", resolveKey)])
            #expect(r.status == 303, "\(r.text)")
            try await s.act(ben.token, project, "approve", task: task)
            page = try await manager.get(url)
            #expect(page.text.contains("Resolved") && page.text.contains("is-resolved"))
            #expect(page.text.contains("Ben Okafor</strong> approved"))
            #expect(page.text.contains("class=\"pending\">Ana Lopez"))

            // A comment the rules refuse (a reply to a thread of another task) renders the page with the reason.
            r = try await post(manager, page.text, form: newForm, [("body", "x"), ("parent_id", UUID().uuidString)])
            #expect(r.status == 422 || r.status == 404, "\(r.status)")
        }
    }

    /// The page reads every task's comments and the keys' names at once (two statements, not three per task): each
    /// comment still lands under its own task, and each agency reads its own task's thread only.
    @Test("two agencies' tasks on one page: each thread under its task, each agency reading its own only")
    func twoTasksTwoAgencies() async throws {
        try await withServer { s in
            let brand = try await s.organization("Velo", "brand")
            let (north, south) = (
                try await s.organization("North", "agency"), try await s.organization("South", "agency")
            )
            let project = try await s.project(brand)
            let film = try await s.addTask(brand, project, agency: north, title: "Film-TASK")
            let print = try await s.addTask(brand, project, agency: south, title: "Print-TASK")
            try await s.act(brand.token, project, "issue_brief")
            for (task, body) in [(film, "NORTH-THREAD-7"), (print, "SOUTH-THREAD-9")] {
                let r = try await s.call(
                    .POST, "/v1/projects/\(project)/tasks/\(task)/comments", token: brand.token,
                    json: #"{"body":"\#(body)"}"#)
                #expect(r.status == 201, "\(r.text)")
            }
            let url = "/console/projects/\(project)"
            let (manager, _) = try await s.signIn(brand.token)
            let page = try await manager.get(url).text
            let at = { (text: String) in page.range(of: text)?.lowerBound }
            let (filmAt, printAt) = (try #require(at("Film-TASK")), try #require(at("Print-TASK")))
            let (northAt, southAt) = (try #require(at("NORTH-THREAD-7")), try #require(at("SOUTH-THREAD-9")))
            // Tasks in their order; each comment after its own task's title and before the next one's.
            #expect(filmAt < northAt && northAt < printAt && printAt < southAt)
            for (agency, own, other) in [
                (north, "NORTH-THREAD-7", "SOUTH-THREAD-9"), (south, "SOUTH-THREAD-9", "NORTH-THREAD-7"),
            ] {
                let (visitor, _) = try await s.signIn(agency.token)
                let theirs = try await visitor.get(url).text
                #expect(theirs.contains(own) && !theirs.contains(other), "\(agency.id)")
            }
        }
    }
}
