import Foundation
import Logging
import Mail
import Metrics
import ServiceLifecycle
import Storage

/// What an attempt's outcome means for an email (pure): sent; refused for good (a 5xx for its recipient); or, for a
/// 4xx or a connection that failed, tried again after the next delay of `schedule`, until the schedule runs out.
public struct MailRetryPolicy: Sendable, Hashable {
    /// The waits before the 2nd, 3rd, … attempts; after the last, the email has failed.
    public var schedule: [Double]

    /// About two days in all: 30 s, 1, 2, 5, 10 and 30 min, then hourly to a day, then every 6 h.
    public static let standard = MailRetryPolicy(
        schedule: [30, 60, 120, 300, 600, 1_800] + Array(repeating: 3_600, count: 18) + [
            21_600, 21_600, 21_600, 21_600,
        ])

    public init(schedule: [Double]) { self.schedule = schedule }

    /// The settlement of an attempt of an email that had `attempts` before it.
    public func settlement(_ outcome: SMTPOutcome, attempts: Int, now: Date) -> EmailSettlement {
        switch outcome {
        case .sent: return .sent
        case .refused(let why): return .failed(why)
        case .deferred(let why):
            guard attempts < schedule.count else { return .failed("gave up after \(attempts + 1) attempts: \(why)") }
            return .retry(at: now + schedule[attempts], why)
        }
    }
}

/// How the mailer runs (`BRIEFD_SMTP_URL`, `BRIEFD_MAIL_FROM`).
public struct MailerConfiguration: Sendable {
    public var smtp: SMTPSettings
    public var from: MailMessage.Mailbox
    /// Emails claimed, and sent over one connection, at once.
    public var batch = 20
    /// How long a claim holds an email: past it another mailer sends it.
    public var lease: Duration = Self.defaultLease
    public static let defaultLease: Duration = .seconds(120)
    /// The longest sleep between looks at the outbox.
    public var pollInterval: Duration = .seconds(1)
    public var retry = MailRetryPolicy.standard
    /// A whole batch's conversation must end within this.
    public var sendTimeout: Duration = .seconds(60)

    public init(smtp: SMTPSettings, from: MailMessage.Mailbox) {
        self.smtp = smtp
        self.from = from
    }
}

/// Sends the mail outbox: in every `briefd serve` with `BRIEFD_SMTP_URL`, beside the dispatcher. Claims due emails
/// under a lease (`MailOutbox.claim`: SKIP LOCKED, so several daemons share the work and each email goes to one),
/// composes them (`MailComposer`), sends a batch over one SMTP connection (`SMTPClient`), and settles each
/// (`MailRetryPolicy`). Graceful shutdown finishes the batch in hand.
public struct Mailer: Service {
    let outbox: MailOutbox
    let digests: DigestStore
    let projects: ProjectStore
    let client: SMTPClient
    let composer: MailComposer
    let config: MailerConfiguration
    let logger: Logger

    public init(db: Database, configuration: MailerConfiguration, composer: MailComposer, logger: Logger) throws {
        outbox = MailOutbox(db: db)
        digests = DigestStore(db: db)
        projects = ProjectStore(db: db, mail: true)
        client = try SMTPClient(settings: configuration.smtp, timeout: configuration.sendTimeout)
        self.composer = composer
        config = configuration
        self.logger = logger
    }

    public func run() async throws {
        logger.info("mailer started", metadata: ["smtp": "\(config.smtp)"])
        await PollingLoop.run(
            schemaReady: schemaReady, beside: [tick],
            consume: { wakeups, _ in for await _ in wakeups { await drain() } })
    }

    private func schemaReady() async -> Bool {
        do {
            _ = try await outbox.oldestPendingAge()
            return true
        } catch {
            return false
        }
    }

    /// Writes the due digests, then sends every due email, a batch at a time.
    func drain() async {
        await writeDigests()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let claimed: [OutgoingEmail]
            do {
                claimed = try await outbox.claim(limit: config.batch, lease: config.lease)
            } catch {
                logger.warning("claiming emails failed", metadata: ["error": "\(String(reflecting: error))"])
                return
            }
            if claimed.isEmpty { return }
            let now = Date()
            let envelopes = claimed.map { row in
                SMTPEnvelope(
                    from: config.from.address, to: row.to, data: composer.compose(row, now: now).rendered())
            }
            let outcomes = await client.send(envelopes)
            for (row, outcome) in zip(claimed, outcomes) {
                let settlement = config.retry.settlement(outcome, attempts: row.attempts, now: Date())
                do {
                    try await outbox.settle(row, settlement)
                } catch {
                    // The lease runs out and the email is sent again, with the same Message-ID.
                    logger.warning("settling an email failed", metadata: ["email_id": "\(row.id)"])
                }
                switch settlement {
                case .sent: Counter(label: "briefd_emails_sent_total", dimensions: [("kind", row.kind)]).increment()
                case .failed(let why):
                    Counter(label: "briefd_emails_failed_total", dimensions: [("kind", row.kind)]).increment()
                    logger.warning("an email was refused", metadata: ["email_id": "\(row.id)", "reason": "\(why)"])
                case .retry(_, let why):
                    logger.info(
                        "an email will be tried again", metadata: ["email_id": "\(row.id)", "reason": "\(why)"])
                }
            }
            if claimed.count < config.batch { return }
        }
    }

    /// Writes every due digest (into the outbox, sent by the rest of `drain`): claimed under the lease, the
    /// person's waits read from the inbox of each organization where they act, overdue and oldest first.
    func writeDigests() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let due: [DueDigest]
            do {
                due = try await digests.claim(limit: config.batch, lease: config.lease)
            } catch {
                logger.warning("claiming digests failed", metadata: ["error": "\(String(reflecting: error))"])
                return
            }
            for digest in due {
                do {
                    var items: [DigestItem] = []
                    var waiting = 0
                    let now = Date()
                    for (actor, name) in try await digests.actors(userID: digest.userID) {
                        // Counted up to `itemsCounted`, listed up to `itemsListed`.
                        let inbox = try await projects.oldestWaiting(
                            for: actor, limit: DigestStore.itemsCounted, now: now)
                        waiting += inbox.items.count
                        items += inbox.items.map { DigestItem(item: $0, organizationName: name) }
                    }
                    items.sort { a, b in
                        a.item.overdue != b.item.overdue ? a.item.overdue : a.item.waitingSince < b.item.waitingSince
                    }
                    let listed = Array(items.prefix(DigestStore.itemsListed))
                    if try await digests.write(digest, items: listed, waiting: waiting, now: now) {
                        logger.info(
                            "digest written",
                            metadata: ["user_id": "\(digest.userID)", "waiting": "\(waiting)"])
                    }
                } catch {
                    // The lease runs out and this or another mailer writes it.
                    logger.warning(
                        "writing a digest failed",
                        metadata: ["user_id": "\(digest.userID)", "error": "\(String(reflecting: error))"])
                }
            }
            if due.count < config.batch { return }
        }
    }

    /// Wakes the loop when the next email is due, or after the poll interval; keeps the outbox's age gauge.
    private func tick(_ wake: AsyncStream<Void>.Continuation) async {
        let oldest = Gauge(label: "briefd_email_outbox_oldest_seconds")
        while !Task.isCancelled {
            wake.yield()
            if let age = try? await outbox.oldestPendingAge() { oldest.record(age) }
            let next = (try? await outbox.untilNextDue()) ?? nil
            let poll =
                Double(config.pollInterval.components.seconds)
                + Double(config.pollInterval.components.attoseconds) / 1e18
            try? await Task.sleep(for: .milliseconds(Int(min(next ?? poll, poll) * 1000) + 10))
        }
    }
}
