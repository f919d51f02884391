import Testing
import Timers

/// The timer service's one policy, without a database or a clock: when it looks at the queue next.
@Suite("The timer service's schedule")
struct TimerScheduleTests {
    @Test("it sleeps until the next timer is due, at most the poll interval, never a negative time")
    func sleeps() {
        let poll = Duration.seconds(1)
        #expect(TimerSchedule.sleep(untilNextDue: nil, poll: poll) == poll, "nothing pending: the poll interval")
        #expect(TimerSchedule.sleep(untilNextDue: .milliseconds(200), poll: poll) == .milliseconds(200))
        #expect(TimerSchedule.sleep(untilNextDue: .seconds(30), poll: poll) == poll)
        #expect(TimerSchedule.sleep(untilNextDue: .seconds(-3), poll: poll) == .zero, "overdue: at once")
    }
}
