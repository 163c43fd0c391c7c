//! The fault SPEC: a one-line text form of fault rules for `--faults`, `--octopus-faults` and
//! `POST /_sim/faults`, e.g. `bookings:commit-drop@p=0.05; connect:502@nth=2`.
//!
//! ```text
//! SPEC     := RULE (';' RULE)*                 blanks around parts are ignored
//! RULE     := TARGET ':' ACTION ('@' OPTION)*
//! TARGET   := ('*' | ALIAS | 'METHOD /template') ['#' DOSSIER_ID]
//! ACTION   := 'drop' | 'commit-drop' | STATUS | 'commit-' STATUS
//!           | 'timeout' ['=' DURATION] | 'commit-timeout' ['=' DURATION]
//!           | 'lock-journal' ['=' DURATION] | 'expire-tokens'
//! STATUS   := an HTTP status 400..=599
//! OPTION   := 'nth=' N | 'every=' N | 'after=' N | 'p=' PROBABILITY | 'times=' N
//! DURATION := N ('ms' | 's' | 'm' | 'h')
//! ```

use std::time::Duration;

use super::{DEFAULT_HANG, DEFAULT_LOCK, Fault, FaultRule, Trigger};
use crate::endpoints::Endpoint;
use crate::state::SimError;

fn invalid(rule: &str, why: impl std::fmt::Display) -> SimError {
    SimError::InvalidFaultSpec(format!("`{rule}`: {why}"))
}

fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().ok()?;
    match unit {
        "ms" => Some(Duration::from_millis(number)),
        "s" => Some(Duration::from_secs(number)),
        "m" => number.checked_mul(60).map(Duration::from_secs),
        "h" => number.checked_mul(3600).map(Duration::from_secs),
        _ => None,
    }
}

fn format_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

fn parse_status(text: &str) -> Option<u16> {
    text.parse::<u16>().ok().filter(|s| (400..=599).contains(s))
}

fn parse_action(text: &str) -> Option<Fault> {
    let (name, argument) = match text.split_once('=') {
        Some((name, argument)) => (name.trim(), Some(argument)),
        None => (text.trim(), None),
    };
    let duration = |default| match argument {
        Some(a) => parse_duration(a),
        None => Some(default),
    };
    let fault = match name {
        "drop" => Fault::Drop,
        "commit-drop" => Fault::DropAfterCommit,
        "timeout" => Fault::Timeout(duration(DEFAULT_HANG)?),
        "commit-timeout" => Fault::DelayAfterCommit(duration(DEFAULT_HANG)?),
        "lock-journal" => Fault::LockJournal(duration(DEFAULT_LOCK)?),
        "expire-tokens" => Fault::ExpireTokens,
        other => match other.strip_prefix("commit-") {
            Some(status) => Fault::StatusAfterCommit(parse_status(status)?),
            None => Fault::Status(parse_status(other)?),
        },
    };
    let takes_argument = matches!(
        fault,
        Fault::Timeout(_) | Fault::DelayAfterCommit(_) | Fault::LockJournal(_)
    );
    (argument.is_none() || takes_argument).then_some(fault)
}

fn parse_target(rule: &str, text: &str) -> Result<(Option<Endpoint>, Option<i32>), SimError> {
    let (name, dossier) = match text.split_once('#') {
        Some((name, dossier)) => {
            let id = dossier
                .trim()
                .parse::<i32>()
                .map_err(|_| invalid(rule, format!("dossier id `{dossier}` is not a number")))?;
            (name.trim(), Some(id))
        }
        None => (text.trim(), None),
    };
    if name == "*" {
        return Ok((None, dossier));
    }
    let endpoint = Endpoint::parse(name).ok_or_else(|| {
        let aliases: Vec<&str> = Endpoint::ALL.iter().map(|e| e.alias()).collect();
        invalid(
            rule,
            format!(
                "unknown endpoint `{name}`; use `*` or one of {}",
                aliases.join(", ")
            ),
        )
    })?;
    Ok((Some(endpoint), dossier))
}

fn parse_rule(rule: &str) -> Result<FaultRule, SimError> {
    let (target, rest) = rule
        .split_once(':')
        .ok_or_else(|| invalid(rule, "expected TARGET:ACTION"))?;
    let (endpoint, dossier_id) = parse_target(rule, target)?;
    let mut parts = rest.split('@');
    let action = parts.next().unwrap_or_default().trim();
    let fault = parse_action(action).ok_or_else(|| {
        invalid(
            rule,
            format!(
                "unknown action `{action}`; use drop, commit-drop, a status 400-599, commit-STATUS, \
                 timeout[=DURATION], commit-timeout[=DURATION], lock-journal[=DURATION] or expire-tokens"
            ),
        )
    })?;
    if matches!(fault, Fault::LockJournal(_))
        && !matches!(
            endpoint,
            None | Some(Endpoint::BookingsPost | Endpoint::BookingsPut)
        )
    {
        return Err(invalid(
            rule,
            "lock-journal applies to bookings or bookings-put only",
        ));
    }
    let mut trigger = None;
    let mut times = None;
    for option in parts {
        let (name, value) = option
            .split_once('=')
            .map(|(n, v)| (n.trim(), v.trim()))
            .ok_or_else(|| invalid(rule, format!("option `{option}` is not NAME=VALUE")))?;
        let count = || {
            value.parse::<u64>().map_err(|_| {
                invalid(
                    rule,
                    format!("`{name}` needs a whole number, not `{value}`"),
                )
            })
        };
        let parsed = match name {
            "nth" => Trigger::Nth(count()?.max(1)),
            "every" => Trigger::Every(count()?.max(1)),
            "after" => Trigger::After(count()?),
            "p" => {
                let p = value
                    .parse::<f64>()
                    .ok()
                    .filter(|p| (0.0..=1.0).contains(p))
                    .ok_or_else(|| {
                        invalid(rule, format!("p must be between 0 and 1, not `{value}`"))
                    })?;
                Trigger::Probability(p)
            }
            "times" => {
                times = Some(count()?);
                continue;
            }
            other => {
                return Err(invalid(
                    rule,
                    format!("unknown option `{other}`; use nth, every, after, p or times"),
                ));
            }
        };
        if trigger.replace(parsed).is_some() {
            return Err(invalid(rule, "give only one of nth, every, after and p"));
        }
    }
    Ok(FaultRule {
        endpoint,
        dossier_id,
        fault,
        trigger: trigger.unwrap_or(Trigger::Nth(1)),
        times,
    })
}

/// Parses a fault SPEC (grammar in the crate README) into rules, in order. An empty or blank
/// SPEC gives no rules.
pub fn parse_fault_spec(spec: &str) -> Result<Vec<FaultRule>, SimError> {
    spec.split(';')
        .map(str::trim)
        .filter(|rule| !rule.is_empty())
        .map(parse_rule)
        .collect()
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Status(s) => write!(f, "{s}"),
            Fault::StatusAfterCommit(s) => write!(f, "commit-{s}"),
            Fault::DelayAfterCommit(d) => write!(f, "commit-timeout={}", format_duration(*d)),
            Fault::Drop => f.write_str("drop"),
            Fault::DropAfterCommit => f.write_str("commit-drop"),
            Fault::Timeout(d) => write!(f, "timeout={}", format_duration(*d)),
            Fault::LockJournal(d) => write!(f, "lock-journal={}", format_duration(*d)),
            Fault::ExpireTokens => f.write_str("expire-tokens"),
        }
    }
}

impl std::fmt::Display for FaultRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.endpoint {
            Some(endpoint) => f.write_str(endpoint.alias())?,
            None => f.write_str("*")?,
        }
        if let Some(dossier) = self.dossier_id {
            write!(f, "#{dossier}")?;
        }
        write!(f, ":{}", self.fault)?;
        match self.trigger {
            Trigger::Nth(n) => write!(f, "@nth={n}")?,
            Trigger::Every(n) => write!(f, "@every={n}")?,
            Trigger::After(n) => write!(f, "@after={n}")?,
            Trigger::Probability(p) => write!(f, "@p={p}")?,
        }
        if let Some(times) = self.times {
            write!(f, "@times={times}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_action_and_option() {
        let rules = parse_fault_spec(
            " bookings:commit-drop@p=0.05 ; connect#12345:502@nth=2;*:expire-tokens@every=100@times=3;\
             bookings:lock-journal=30s; relations-put:timeout=250ms; bookings:commit-timeout=2m;\
             POST /dossiers/{dossierId}/buysellbookings:commit-500@after=10; login:drop",
        )
        .unwrap();
        assert_eq!(rules.len(), 8);
        assert_eq!(rules[0].fault, Fault::DropAfterCommit);
        assert_eq!(rules[0].trigger, Trigger::Probability(0.05));
        assert_eq!(rules[1].dossier_id, Some(12345));
        assert_eq!(rules[1].fault, Fault::Status(502));
        assert_eq!(rules[1].trigger, Trigger::Nth(2));
        assert_eq!(rules[2].endpoint, None);
        assert_eq!(rules[2].times, Some(3));
        assert_eq!(rules[3].fault, Fault::LockJournal(Duration::from_secs(30)));
        assert_eq!(rules[4].fault, Fault::Timeout(Duration::from_millis(250)));
        assert_eq!(
            rules[5].fault,
            Fault::DelayAfterCommit(Duration::from_secs(120))
        );
        assert_eq!(rules[6].endpoint, Some(Endpoint::BookingsPost));
        assert_eq!(rules[6].fault, Fault::StatusAfterCommit(500));
        assert_eq!(rules[7].fault, Fault::Drop);
        assert_eq!(rules[7].trigger, Trigger::Nth(1));
    }

    #[test]
    fn display_round_trips() {
        let spec =
            "bookings#7:commit-drop@p=0.5@times=2;*:timeout=1500ms@every=3;connect:429@after=1";
        let rules = parse_fault_spec(spec).unwrap();
        let printed: Vec<String> = rules.iter().map(ToString::to_string).collect();
        assert_eq!(parse_fault_spec(&printed.join(";")).unwrap(), rules);
        assert_eq!(printed[0], "bookings#7:commit-drop@p=0.5@times=2");
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        for (spec, hint) in [
            ("bookings", "TARGET:ACTION"),
            ("bookingz:500", "unknown endpoint"),
            ("bookings:600", "unknown action"),
            ("bookings:drop=5s", "unknown action"),
            ("bookings:timeout=5", "unknown action"),
            ("bookings:500@p=2", "between 0 and 1"),
            ("bookings:500@nth=1@p=0.5", "only one of"),
            ("bookings:500@when=1", "unknown option"),
            ("connect:lock-journal", "bookings or bookings-put"),
            ("bookings#x:500", "not a number"),
        ] {
            let error = parse_fault_spec(spec).unwrap_err().to_string();
            assert!(error.contains(hint), "{spec}: {error}");
        }
        assert!(parse_fault_spec("  ").unwrap().is_empty());
    }
}
