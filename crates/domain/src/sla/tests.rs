//! SLA rules on concrete timelines.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Europe::Oslo;

use super::*;
use crate::calendar::{Calendar, Holiday, WeekHours};

fn oslo(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Oslo.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// Monday 2026-01-05, Oslo time.
fn mon(h: u32, mi: u32) -> DateTime<Utc> {
    oslo(2026, 1, 5, h, mi)
}

fn tue(h: u32, mi: u32) -> DateTime<Utc> {
    oslo(2026, 1, 6, h, mi)
}

fn office(holidays: &[&str]) -> Calendar {
    let holidays = holidays.iter().map(|h| h.parse::<Holiday>().unwrap());
    let week = WeekHours::weekdays(&["08:00-16:00".parse().unwrap()]);
    Calendar::new("Europe/Oslo", week, holidays).unwrap()
}

/// First response 2 h, update 4 h, solution 5 days of 8 h; warn at 80 %.
fn sla() -> Sla {
    Sla::new(SlaSpec {
        first_response_minutes: Some(120),
        update_minutes: Some(240),
        solution_minutes: Some(2400),
        warning_percent: Some(80),
        ..SlaSpec::default()
    })
    .unwrap()
}

fn first_response_only() -> Sla {
    Sla::new(SlaSpec {
        first_response_minutes: Some(120),
        ..SlaSpec::default()
    })
    .unwrap()
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

// --- the acceptance case ---

#[test]
fn ticket_created_friday_1530_escalates_monday_0930_not_earlier() {
    let cal = office(&[]);
    let created = oslo(2026, 1, 9, 15, 30);
    let timeline = TicketTimeline::new(created);
    let sla = first_response_only();

    let at_creation = sla.evaluate(&cal, &timeline, created).unwrap();
    assert_eq!(at_creation.escalation_at, Some(oslo(2026, 1, 12, 9, 30)));
    assert!(!at_creation.is_escalated());

    // The clock moves over the weekend: nothing happens until Monday 09:30.
    for now in [
        oslo(2026, 1, 10, 12, 0),
        oslo(2026, 1, 12, 8, 0),
        oslo(2026, 1, 12, 9, 29),
    ] {
        let eval = sla.evaluate(&cal, &timeline, now).unwrap();
        assert!(!eval.is_escalated(), "escalated too early at {now}");
    }
    let eval = sla
        .evaluate(&cal, &timeline, oslo(2026, 1, 12, 9, 30))
        .unwrap();
    assert!(eval.is_escalated());
    assert!(eval.first_response.unwrap().breached);
}

#[test]
fn acceptance_case_across_a_holiday_and_both_dst_weekends() {
    let cases = [
        // Holiday Monday (one-off): Tuesday 09:30.
        (
            &["2026-05-25"][..],
            oslo(2026, 5, 22, 15, 30),
            oslo(2026, 5, 26, 9, 30),
        ),
        // Clocks go back on Sunday 2026-10-25.
        (
            &[][..],
            oslo(2026, 10, 23, 15, 30),
            oslo(2026, 10, 26, 9, 30),
        ),
        // Clocks go forward on Sunday 2026-03-29.
        (&[][..], oslo(2026, 3, 27, 15, 30), oslo(2026, 3, 30, 9, 30)),
        // A DST weekend followed by a holiday Monday.
        (
            &["2026-10-26"][..],
            oslo(2026, 10, 23, 15, 30),
            oslo(2026, 10, 27, 9, 30),
        ),
    ];
    for (holidays, created, due) in cases {
        let cal = office(holidays);
        let timeline = TicketTimeline::new(created);
        let eval = first_response_only()
            .evaluate(&cal, &timeline, created)
            .unwrap();
        assert_eq!(eval.escalation_at, Some(due), "created {created}");
        let before = first_response_only()
            .evaluate(&cal, &timeline, due - minutes(1))
            .unwrap();
        assert!(!before.is_escalated());
        assert!(
            first_response_only()
                .evaluate(&cal, &timeline, due)
                .unwrap()
                .is_escalated()
        );
    }
}

// --- first response, update, solution ---

#[test]
fn all_three_clocks_run_from_creation() {
    let eval = sla()
        .evaluate(&office(&[]), &TicketTimeline::new(mon(8, 0)), mon(8, 0))
        .unwrap();
    let fr = eval.first_response.as_ref().unwrap();
    assert_eq!(
        (fr.state, fr.due_at, fr.warn_at),
        (ClockState::Running, Some(mon(10, 0)), Some(mon(9, 36)))
    );
    assert_eq!(eval.update.as_ref().unwrap().due_at, Some(mon(12, 0)));
    // 5 × 480 minutes end exactly at Friday 16:00.
    assert_eq!(
        eval.solution.as_ref().unwrap().due_at,
        Some(oslo(2026, 1, 9, 16, 0))
    );
    assert_eq!(eval.escalation_at, Some(mon(10, 0)));
    assert_eq!(eval.warning_at, Some(mon(9, 36)));
    assert_eq!(eval.time_left(), Some(minutes(120)));
}

#[test]
fn agent_reply_stops_the_first_response_clock() {
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.first_agent_response_at = Some(mon(9, 30));
    timeline.last_agent_response_at = Some(mon(9, 30));
    let eval = sla().evaluate(&office(&[]), &timeline, tue(12, 0)).unwrap();
    let fr = eval.first_response.unwrap();
    assert_eq!(fr.state, ClockState::Stopped);
    assert_eq!(fr.stopped_at, Some(mon(9, 30)));
    assert!(!fr.breached && !fr.warning);
    assert_eq!(fr.remaining, minutes(30));
    // The customer is not waiting any more: no update deadline either.
    assert_eq!(eval.update.unwrap().state, ClockState::Stopped);
    assert_eq!(eval.escalation_at, Some(oslo(2026, 1, 9, 16, 0)));
}

#[test]
fn a_late_first_response_is_a_recorded_breach() {
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.first_agent_response_at = Some(mon(10, 30));
    let fr = sla()
        .evaluate(&office(&[]), &timeline, tue(8, 0))
        .unwrap()
        .first_response
        .unwrap();
    assert!(fr.breached);
    assert_eq!(fr.remaining, minutes(-30));
    // Answering exactly at the deadline meets it.
    timeline.first_agent_response_at = Some(mon(10, 0));
    let fr = sla()
        .evaluate(&office(&[]), &timeline, tue(8, 0))
        .unwrap()
        .first_response
        .unwrap();
    assert!(!fr.breached);
}

#[test]
fn a_customer_article_restarts_the_update_clock() {
    let cal = office(&[]);
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.first_agent_response_at = Some(mon(9, 0));
    timeline.last_agent_response_at = Some(mon(9, 0));
    timeline.last_customer_contact_at = Some(mon(10, 0));
    let update = sla()
        .evaluate(&cal, &timeline, mon(10, 0))
        .unwrap()
        .update
        .unwrap();
    assert_eq!(
        (update.state, update.started_at),
        (ClockState::Running, mon(10, 0))
    );
    assert_eq!(update.due_at, Some(mon(14, 0)));

    timeline.last_customer_contact_at = Some(mon(11, 0));
    let eval = sla().evaluate(&cal, &timeline, mon(11, 0)).unwrap();
    assert_eq!(eval.update.unwrap().due_at, Some(mon(15, 0)));
    assert_eq!(eval.escalation_at, Some(mon(15, 0)));

    // An agent reply after the contact stops it again.
    timeline.last_agent_response_at = Some(mon(12, 0));
    let update = sla()
        .evaluate(&cal, &timeline, mon(12, 0))
        .unwrap()
        .update
        .unwrap();
    assert_eq!(update.state, ClockState::Stopped);
    assert!(!update.breached);
}

#[test]
fn warnings_come_at_the_configured_share() {
    let cal = office(&[]);
    let timeline = TicketTimeline::new(mon(8, 0));
    let fr = |now| {
        sla()
            .evaluate(&cal, &timeline, now)
            .unwrap()
            .first_response
            .unwrap()
    };
    assert!(!fr(mon(9, 35)).warning);
    assert!(fr(mon(9, 36)).warning);
    assert!(!fr(mon(10, 0)).warning, "a breach is no longer a warning");
    assert!(fr(mon(10, 0)).breached);
}

// --- pausing and closing ---

#[test]
fn pending_pauses_every_clock_and_shifts_deadlines_by_the_paused_business_time() {
    let cal = office(&[]);
    // Pending from Monday 09:00 to Tuesday 09:00: 8 business hours paused.
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.paused = vec![Period::between(mon(9, 0), tue(9, 0))];
    let eval = sla().evaluate(&cal, &timeline, tue(9, 30)).unwrap();
    let fr = eval.first_response.as_ref().unwrap();
    assert_eq!(fr.state, ClockState::Running);
    assert_eq!(fr.due_at, Some(tue(10, 0)));
    assert_eq!(fr.warn_at, Some(tue(9, 36)));
    assert_eq!(fr.remaining, minutes(30));
    assert_eq!(eval.update.as_ref().unwrap().due_at, Some(tue(12, 0)));
    assert_eq!(
        eval.solution.as_ref().unwrap().due_at,
        Some(oslo(2026, 1, 12, 16, 0))
    );
    assert_eq!(eval.escalation_at, Some(tue(10, 0)));
}

#[test]
fn while_pending_there_is_no_deadline_only_time_left() {
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.paused = vec![Period::since(mon(9, 0))];
    let eval = sla().evaluate(&office(&[]), &timeline, tue(15, 0)).unwrap();
    let fr = eval.first_response.as_ref().unwrap();
    assert_eq!(
        (fr.state, fr.due_at, fr.breached),
        (ClockState::Paused, None, false)
    );
    assert_eq!(fr.remaining, minutes(60));
    assert_eq!(eval.escalation_at, None);
    assert_eq!(eval.warning_at, None);
    assert!(!eval.is_escalated());
}

#[test]
fn a_breach_before_the_pause_stays_a_breach() {
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.paused = vec![Period::since(mon(11, 0))];
    let eval = first_response_only()
        .evaluate(&office(&[]), &timeline, tue(9, 0))
        .unwrap();
    let fr = eval.first_response.as_ref().unwrap();
    assert_eq!(
        (fr.state, fr.due_at, fr.breached),
        (ClockState::Paused, Some(mon(10, 0)), true)
    );
    assert_eq!(fr.remaining, minutes(-60));
    assert_eq!(eval.escalation_at, Some(mon(10, 0)));
    assert!(eval.is_escalated());
}

#[test]
fn pauses_before_a_clock_starts_do_not_shift_it() {
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.paused = vec![Period::between(mon(8, 30), mon(9, 30))];
    timeline.last_customer_contact_at = Some(mon(10, 0));
    let eval = sla().evaluate(&office(&[]), &timeline, mon(10, 0)).unwrap();
    assert_eq!(eval.first_response.unwrap().due_at, Some(mon(11, 0)));
    assert_eq!(eval.update.unwrap().due_at, Some(mon(14, 0)));
}

#[test]
fn overlapping_and_unsorted_pauses_count_once() {
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.paused = vec![
        Period::between(mon(10, 0), mon(11, 0)),
        Period::between(mon(9, 0), mon(10, 30)),
        Period::between(mon(11, 0), mon(11, 0)), // empty
    ];
    let fr = first_response_only()
        .evaluate(&office(&[]), &timeline, mon(12, 0))
        .unwrap();
    // 60 minutes before 09:00, two hours paused, 60 more from 11:00.
    assert_eq!(fr.first_response.unwrap().due_at, Some(mon(12, 0)));
}

#[test]
fn closing_stops_everything() {
    let mut timeline = TicketTimeline::new(mon(8, 0));
    timeline.closed_at = Some(mon(9, 0));
    let eval = sla()
        .evaluate(&office(&[]), &timeline, oslo(2026, 2, 1, 12, 0))
        .unwrap();
    for status in eval.targets() {
        assert_eq!(status.state, ClockState::Stopped, "{:?}", status.target);
        assert_eq!(status.stopped_at, Some(mon(9, 0)));
        assert!(!status.breached);
    }
    assert_eq!(eval.escalation_at, None);
    assert!(!eval.is_escalated());
    assert_eq!(eval.time_left(), None);
}

#[test]
fn a_reopened_ticket_resumes_with_the_time_that_was_left() {
    let sla = first_response_only();
    let history = sla.state_history([
        (mon(8, 0), "new"),
        (mon(9, 0), "closed"),
        (tue(8, 0), "open"),
    ]);
    assert_eq!(history.closed_at, None);
    assert_eq!(history.paused, vec![Period::between(mon(9, 0), tue(8, 0))]);
    let timeline = TicketTimeline::new(mon(8, 0)).with_states(history);
    let eval = sla.evaluate(&office(&[]), &timeline, tue(8, 0)).unwrap();
    assert_eq!(eval.escalation_at, Some(tue(9, 0)));
}

#[test]
fn state_history_reads_pauses_and_closing() {
    let sla = sla();
    let history = sla.state_history([
        (mon(8, 0), "new"),
        (mon(9, 0), "pending_reminder"),
        (mon(10, 0), "pending_auto"),
        (mon(11, 0), "open"),
        (mon(12, 0), "waiting_for_vendor"),
        (mon(13, 0), "pending_reminder"),
    ]);
    assert_eq!(
        history.paused,
        vec![
            Period::between(mon(9, 0), mon(11, 0)),
            Period::since(mon(13, 0))
        ]
    );
    assert_eq!(history.closed_at, None);

    // Unsorted input; closed from pending; closed then merged keeps the first closing time.
    let history = sla.state_history([
        (mon(12, 0), "merged"),
        (mon(8, 0), "new"),
        (mon(10, 0), "closed"),
        (mon(9, 0), "pending_auto"),
    ]);
    assert_eq!(history.paused, vec![Period::since(mon(9, 0))]);
    assert_eq!(history.closed_at, Some(mon(10, 0)));
}

// --- SLA settings ---

#[test]
fn sla_settings_are_validated() {
    let invalid = |spec: SlaSpec| matches!(Sla::new(spec), Err(CalendarError::InvalidSla(_)));
    let one = SlaSpec {
        solution_minutes: Some(60),
        ..SlaSpec::default()
    };
    assert!(Sla::new(one.clone()).is_ok());
    assert!(invalid(SlaSpec::default()), "no target");
    assert!(invalid(SlaSpec {
        solution_minutes: Some(0),
        ..one.clone()
    }));
    assert!(invalid(SlaSpec {
        update_minutes: Some(MAX_TARGET_MINUTES + 1),
        ..one.clone()
    }));
    assert!(invalid(SlaSpec {
        warning_percent: Some(0),
        ..one.clone()
    }));
    assert!(invalid(SlaSpec {
        warning_percent: Some(100),
        ..one.clone()
    }));
    assert!(invalid(SlaSpec {
        paused_state_types: vec!["Pending Reminder".into()],
        ..one.clone()
    }));
    assert!(invalid(SlaSpec {
        paused_state_types: vec!["closed".into()],
        ..one.clone()
    }));
}

#[test]
fn sla_defaults_pause_pending_states_and_round_trip_through_json() {
    let sla: Sla = serde_json::from_str(r#"{"first_response_minutes": 120}"#).unwrap();
    assert!(sla.pauses_in("pending_reminder") && sla.pauses_in("pending_auto"));
    assert!(!sla.pauses_in("open"));
    assert_eq!(sla.minutes(SlaTarget::FirstResponse), Some(120));
    assert_eq!(sla.warning_percent(), None);
    let json = serde_json::to_string(&sla).unwrap();
    assert_eq!(serde_json::from_str::<Sla>(&json).unwrap(), sla);
    // Nothing paused, if an SLA says so.
    let strict: Sla =
        serde_json::from_str(r#"{"solution_minutes": 60, "paused_state_types": []}"#).unwrap();
    assert_eq!(strict.paused_state_types().count(), 0);
    assert!(serde_json::from_str::<Sla>(r#"{"solution_minutes": 0}"#).is_err());
    assert!(serde_json::from_str::<Sla>(r#"{"solution_minute": 60}"#).is_err());
}

// --- properties on random calendars ---

mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::calendar::proptests::{calendar, instant, scale};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Without pauses the deadline is plain business-time addition; each finished pause
        /// moves it by exactly the business time the pause covers before it.
        #[test]
        fn pauses_shift_deadlines_by_their_business_time(
            cal in calendar(),
            created in instant(),
            raw in any::<u32>(),
            gaps in prop::collection::vec((0i64..5 * 86_400, 1i64..3 * 86_400), 0..4),
        ) {
            let m = scale(&cal, raw).clamp(1, i64::from(MAX_TARGET_MINUTES));
            let spec = SlaSpec { solution_minutes: Some(m as u32), ..SlaSpec::default() };
            let sla = Sla::new(spec).unwrap();
            // Pauses one after the other: a gap of counting time, then a pause.
            let mut cursor = created;
            let mut timeline = TicketTimeline::new(created);
            for (gap, len) in gaps {
                let from = cursor + TimeDelta::seconds(gap);
                cursor = from + TimeDelta::seconds(len);
                timeline.paused.push(Period::between(from, cursor));
            }
            let eval = sla.evaluate(&cal, &timeline, created).unwrap();
            let due = eval.solution.unwrap().due_at.unwrap();
            let plain = cal.add_business_minutes(created, m).unwrap();
            prop_assert!(due >= plain);
            let mut counted = cal.business_time_between(created, due).unwrap();
            for p in &timeline.paused {
                let until = p.until.unwrap().min(due);
                if p.from < until {
                    counted -= cal.business_time_between(p.from, until).unwrap();
                }
            }
            prop_assert_eq!(counted, TimeDelta::minutes(m));
            if timeline.paused.is_empty() {
                prop_assert_eq!(due, plain);
            }
        }
    }
}
