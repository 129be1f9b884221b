use super::*;

fn eval(src: &str, inputs: &[(&str, f64)], month: f64, adoption: f64) -> f64 {
    let ast = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let names: Vec<&str> = inputs.iter().map(|p| p.0).collect();
    let lookup = |n: &str| names.iter().position(|x| *x == n);
    let node = resolve(&ast, &lookup, &names).unwrap();
    let vals: Vec<f64> = inputs.iter().map(|p| p.1).collect();
    node.eval(&Env {
        inputs: &vals,
        month,
        adoption,
    })
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(eval("1 + 2 * 3", &[], 0.0, 0.0), 7.0);
    assert_eq!(eval("(1 + 2) * 3", &[], 0.0, 0.0), 9.0);
    assert_eq!(eval("2 ^ 3 ^ 2", &[], 0.0, 0.0), 512.0);
    assert_eq!(eval("-2 ^ 2", &[], 0.0, 0.0), -4.0);
    assert_eq!(eval("10 - 4 - 3", &[], 0.0, 0.0), 3.0);
    assert_eq!(eval("12 / 3 / 2", &[], 0.0, 0.0), 2.0);
    assert_eq!(eval("2 * -3", &[], 0.0, 0.0), -6.0);
    assert_eq!(eval("1 + 2 < 4", &[], 0.0, 0.0), 1.0);
    assert_eq!(eval("1.5e3 + 1_000", &[], 0.0, 0.0), 2500.0);
}

#[test]
fn functions_and_builtins() {
    assert_eq!(eval("min(3, 1, 2) + max(1, 5)", &[], 0.0, 0.0), 6.0);
    assert_eq!(eval("clamp(15, 0, 10)", &[], 0.0, 0.0), 10.0);
    assert_eq!(eval("if(month <= 2, 100, 0)", &[], 2.0, 0.0), 100.0);
    assert_eq!(eval("if(month <= 2, 100, 0)", &[], 3.0, 0.0), 0.0);
    assert_eq!(eval("year", &[], 12.0, 0.0), 1.0);
    assert_eq!(eval("year", &[], 13.0, 0.0), 2.0);
    assert_eq!(eval("year", &[], 0.0, 0.0), 0.0);
    assert_eq!(eval("adoption * 10", &[], 5.0, 0.5), 5.0);
    assert!(
        (eval(
            "sin(pi / 2) + cos(0) + ln(exp(2)) + sqrt(16) + abs(-1) + floor(1.7) + ceil(1.2)",
            &[],
            0.0,
            0.0
        ) - 12.0)
            .abs()
            < 1e-12
    );
}

#[test]
fn chinese_identifiers() {
    assert_eq!(
        eval(
            "员工数 * 每席价格",
            &[("员工数", 500.0), ("每席价格", 30.0)],
            0.0,
            0.0
        ),
        15000.0
    );
    assert_eq!(
        eval(
            "minutes_saved / max_users",
            &[("minutes_saved", 10.0), ("max_users", 5.0)],
            0.0,
            0.0
        ),
        2.0
    );
}

#[test]
fn syntax_errors_carry_columns() {
    let e = parse("employees * * 3").unwrap_err();
    assert_eq!(e.span().start, 12, "{e}");
    assert!(e.to_string().contains("column 13"), "{e}");
    let e = parse("(1 + 2").unwrap_err();
    assert!(e.to_string().contains("expected `)`"), "{e}");
    assert!(
        parse("1 +")
            .unwrap_err()
            .to_string()
            .contains("ends where a value")
    );
    assert!(
        parse("a b")
            .unwrap_err()
            .to_string()
            .contains("expected an operator")
    );
    assert!(parse("a = b").unwrap_err().to_string().contains("=="));
    assert!(
        parse("1 < 2 < 3")
            .unwrap_err()
            .to_string()
            .contains("chained")
    );
    assert!(
        parse("3 $ 4")
            .unwrap_err()
            .to_string()
            .contains("unexpected character")
    );
}

#[test]
fn arity_and_unknown_functions() {
    let e = parse("clamp(1, 2)").unwrap_err();
    assert!(matches!(e, ExprError::Arity { got: 2, .. }), "{e}");
    let e = parse("sqrt(1, 2)").unwrap_err();
    assert!(e.to_string().contains("takes 1 argument"), "{e}");
    let e = parse("sqr(4)").unwrap_err();
    assert!(e.to_string().contains("did you mean `sqrt`"), "{e}");
}

#[test]
fn unknown_names_suggest_the_nearest_input() {
    let ast = parse("employes * 2").unwrap();
    let names = ["employees", "seat_price"];
    let lookup = |n: &str| names.iter().position(|x| *x == n);
    let e = resolve(&ast, &lookup, &names).unwrap_err();
    assert!(e.to_string().contains("did you mean `employees`"), "{e}");
    let ast = parse("zzz").unwrap();
    let e = resolve(&ast, &lookup, &names).unwrap_err();
    assert!(!e.to_string().contains("did you mean"), "{e}");
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(parse(&deep).is_err());
    let minus = format!("{}1", "-".repeat(100_000));
    assert!(parse(&minus).is_err());
    let ok = format!("{}1{}", "(".repeat(30), ")".repeat(30));
    assert_eq!(parse(&ok).unwrap(), Ast::Num(1.0));
}
