use super::*;

const OK: &str = r#"name = "云办公 IM, 500 employees"
horizon_months = 36
[inputs]
员工数 = 500
seat_price    = { dist = "triangular", min = 25, mode = 30, max = 40 }
minutes_saved = { dist = "pert", min = 5, mode = 15, max = 25 }
hourly_cost   = { dist = "lognormal", p5 = 55, p95 = 130 }
adoption_peak = { dist = "beta", alpha = 8, beta = 2 }
integration_days = { dist = "lognormal", median = 40, p95 = 120, max = 400 }
[adoption]
curve = "logistic"
peak = "adoption_peak"
months_to_peak = 6
[[costs]]
name = "Subscription"
category = "licence"
when = "monthly"
amount = "员工数 * seat_price"
[[costs]]
name = "Integration"
category = "integration"
when = "once"
amount = "integration_days * 2000"
[[benefits]]
name = "Time saved"
category = "productivity"
when = "monthly"
amount = "员工数 * adoption * minutes_saved / 60 * 21.75 * hourly_cost * 0.5"
"#;

#[test]
fn the_issue_example_parses() {
    let s = parse_str(OK, "x.toml", None).unwrap();
    assert_eq!(s.inputs.len(), 6);
    assert_eq!(s.items.len(), 3);
    assert_eq!(s.currency, "CNY");
    assert_eq!(s.discount_rate, 0.10);
    assert_eq!(s.adoption.peak, Param::Input(4));
    assert!(!s.inputs[0].is_uncertain());
    assert_eq!(s.inputs[1].point_value(), 30.0);
}

#[test]
fn errors_carry_line_column_and_key_path() {
    let bad = OK.replace("mode = 30", "mode = 50");
    let e = parse_str(&bad, "x.toml", None).unwrap_err();
    assert_eq!(e.line, 5, "{e}");
    assert_eq!(e.key_path, "inputs.seat_price");
    assert!(e.to_string().starts_with("x.toml:5:"), "{e}");
    let bad = OK.replace("\"员工数 * seat_price\"", "\"员工数 * seat_pric\"");
    let e = parse_str(&bad, "x.toml", None).unwrap_err();
    assert_eq!(e.key_path, "costs[0].amount");
    // Column of `seat_pric` inside the file line `amount = "员工数 * seat_pric"`.
    assert_eq!(e.column, 17, "{e}");
    assert!(e.message.contains("did you mean `seat_price`"), "{e}");
}

#[test]
fn set_input_replaces_and_validates() {
    let mut s = parse_str(OK, "x.toml", None).unwrap();
    s.set_input(
        "seat_price",
        InputDist::plain(crate::distributions::Dist::Constant(33.0)),
    )
    .unwrap();
    assert_eq!(s.inputs[1].point_value(), 33.0);
    let e = s
        .set_input(
            "adoption_peak",
            InputDist::plain(crate::distributions::Dist::Constant(2.0)),
        )
        .unwrap_err();
    assert!(e.contains("outside [0, 1]"), "{e}");
    assert!(
        s.set_input(
            "seat_prize",
            InputDist::plain(crate::distributions::Dist::Constant(1.0))
        )
        .unwrap_err()
        .contains("did you mean")
    );
}

#[test]
fn timing_rules() {
    let y = Timing::Yearly {
        start: 1,
        end: None,
    };
    let months: Vec<u32> = (0..=36).filter(|t| y.active(*t, 36)).collect();
    assert_eq!(months, vec![1, 13, 25]);
    let m = Timing::Monthly {
        start: 3,
        end: Some(5),
    };
    assert_eq!((0..=36).filter(|t| m.active(*t, 36)).count(), 3);
    assert!(Timing::Once { at: 0 }.active(0, 36));
}
