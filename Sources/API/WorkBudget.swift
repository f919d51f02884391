import Foundation
import Synchronization
import Workflow

/// Heavy work running at once per organization in this daemon (reports, CSV, overdue listings, the inbox past its
/// first page, replays), at most ``most``: past it the caller gets 429 `busy` with `Retry-After`, so one
/// organization's viewer cannot hold the connections other tenants' requests need. The API and the console share
/// one budget.
public final class WorkBudget: Sendable {
    public let most: Int
    private let running = Mutex<[UUID: Int]>([:])

    public init(most: Int = 4) { self.most = max(1, most) }

    /// Runs `body` on one of `organization`'s slots; throws 429 `busy` when they are all taken.
    public func run<T: Sendable>(_ organization: UUID, _ body: () async throws -> T) async throws -> T {
        guard start(organization) else { throw Self.busy(most) }
        defer { end(organization) }
        return try await body()
    }

    /// The refusal past the budget.
    public static func busy(_ most: Int) -> APIError {
        Problem(
            .busy,
            "\(most) heavy requests (reports, exports, replays, long listings) of this organization are running; "
                + "retry when one has finished",
            headers: ["Retry-After": "2"])
    }

    /// Counts a piece of work in; false when the organization already runs ``most``.
    func start(_ organization: UUID) -> Bool {
        running.withLock { r in
            guard r[organization, default: 0] < most else { return false }
            r[organization, default: 0] += 1
            return true
        }
    }

    func end(_ organization: UUID) {
        running.withLock { r in
            r[organization, default: 1] -= 1
            if r[organization] == 0 { r[organization] = nil }
        }
    }
}
