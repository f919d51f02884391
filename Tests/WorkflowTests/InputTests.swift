import Foundation
import Testing

@testable import Workflow

@Suite("Parsing and validating action bodies")
struct InputTests {
    func parse(_ action: Action, _ json: String) -> Result<ActionInput, InputError> {
        do { return .success(try ActionInput.parse(action, body: Array(json.utf8))) } catch { return .failure(error) }
    }

    func isMalformed(_ r: Result<ActionInput, InputError>) -> Bool {
        if case .failure(.malformed) = r { true } else { false }
    }
    func fields(_ r: Result<ActionInput, InputError>) -> [String] {
        if case .failure(.invalid(let e)) = r { e.map(\.field) } else { [] }
    }

    static let validStrategy = """
        {"objectives":["a"],"audience":"b","channels":["c"],"budget":{"amount_minor":100,"currency":"EUR"},
         "kpis":[{"key":"k","name":"K","target":1,"unit":"u","comparator":"gte"}]}
        """

    @Test("a valid create body parses")
    func valid() throws {
        let r = try parse(.create, #"{"title":"T","strategy":\#(Self.validStrategy)}"#).get()
        guard case .create(let title, let s) = r else {
            Issue.record("wrong case")
            return
        }
        #expect(title == "T")
        #expect(s.kpis.first?.key == "k")
        #expect(s.budget.amountMinor == 100)
    }

    @Test(
        "not JSON, not an object, or wrong types are malformed (400)",
        arguments: [
            "{", "[1]", "\"x\"", #"{"title":5}"#, #"{"title":"t","strategy":[]}"#, "\u{FF}\u{FE}",
            #"{"title":"t","strategy":{"objectives":"x"}}"#,
        ])
    func malformed(_ body: String) {
        #expect(isMalformed(parse(.create, body)))
    }

    @Test("missing, empty, oversized and invalid fields are validation errors (422)")
    func invalid() {
        #expect(fields(parse(.create, "{}")) == ["title", "strategy"])
        #expect(fields(parse(.create, #"{"title":"  ","strategy":\#(Self.validStrategy)}"#)) == ["title"])
        let long = String(repeating: "x", count: 201)
        #expect(fields(parse(.create, #"{"title":"\#(long)","strategy":\#(Self.validStrategy)}"#)) == ["title"])
        let badCurrency = Self.validStrategy.replacingOccurrences(of: "EUR", with: "EUX")
        #expect(fields(parse(.updateStrategy, #"{"strategy":\#(badCurrency)}"#)) == ["strategy.budget.currency"])
        let badComparator = Self.validStrategy.replacingOccurrences(of: "gte", with: "eq")
        #expect(fields(parse(.updateStrategy, #"{"strategy":\#(badComparator)}"#)) == ["strategy.kpis[0].comparator"])
        #expect(fields(parse(.updateStrategy, #"{"strategy":\#(Self.validStrategy),"extra":1}"#)) == ["extra"])
        #expect(fields(parse(.decline, #"{"reason":"a\u0000b"}"#)) == ["reason"])
        #expect(fields(parse(.addTask, #"{"agency_id":"nope","title":"t","description":""}"#)) == ["agency_id"])
        #expect(
            fields(parse(.addTask, #"{"agency_id":"\#(UUID())","title":"t","description":"","due_date":"2026-02-30"}"#))
                == ["due_date"])
    }

    @Test("delivery links must be web URLs")
    func links() {
        #expect(fields(parse(.submitDelivery, #"{"summary":"s","links":["javascript:alert(1)"]}"#)) == ["links[0]"])
        #expect(fields(parse(.submitDelivery, #"{"summary":"s","links":[]}"#)) == ["links"])
        #expect((try? parse(.submitDelivery, #"{"summary":"s","links":["https://example.com/a"]}"#).get()) != nil)
    }

    @Test("numbers must be finite and amounts integral")
    func numbers() {
        #expect(isMalformed(parse(.recordKPIResults, #"{"results":{"k":1},"spend_minor":1.5}"#)))
        #expect(fields(parse(.recordKPIResults, #"{"results":{"k":1},"spend_minor":-1}"#)) == ["spend_minor"])
        #expect(fields(parse(.recordKPIResults, #"{"results":{"k":1e300}}"#)) == ["results.k"])
        #expect(isMalformed(parse(.recordKPIResults, #"{"results":{"k":"1"}}"#)))
        #expect(fields(parse(.recordKPIResults, #"{"results":{}}"#)) == ["results"])
    }

    @Test("an empty body is an empty object for actions without fields")
    func emptyBody() throws {
        #expect(try parse(.issueBrief, "").get() == .none)
        #expect(fields(parse(.issueBrief, #"{"x":1}"#)) == ["x"])
    }

    @Test("calendar dates and currencies")
    func dates() {
        #expect(CalendarDate.isValid("2024-02-29"))
        #expect(!CalendarDate.isValid("2023-02-29"))
        #expect(!CalendarDate.isValid("2023-2-01"))
        #expect(Currency.isISO4217("JPY") && !Currency.isISO4217("jpy"))
    }
}
