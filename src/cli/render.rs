//! Turning register answers into text for people and JSON for scripts.

use serde_json::{json, Value};

use crate::domain::event::format_instant;
use crate::domain::{Classification, ClassificationBasis, ConsentState, Contact, Decision, Event};
use crate::i18n::label;
use crate::i18n::Lang;
use crate::register::{ContactSummary, ContactView};

pub fn classification_json(c: &Classification) -> Value {
    let basis = match &c.basis {
        ClassificationBasis::Purchase {
            event_id,
            at,
            product_category,
        } => {
            json!({"kind":"purchase","event":event_id,"at":format_instant(at),"product_category":product_category})
        }
        ClassificationBasis::Manual {
            event_id,
            at,
            by,
            reason,
        } => {
            json!({"kind":"manual","event":event_id,"at":format_instant(at),"by":by,"reason":reason})
        }
        ClassificationBasis::Imported => json!({"kind":"imported"}),
    };
    json!({"relationship": c.relationship.as_str(), "basis": basis})
}

pub fn classification_text(c: &Classification, lang: Lang) -> String {
    let rel = label(lang, c.relationship.as_str());
    match &c.basis {
        ClassificationBasis::Purchase {
            at,
            product_category,
            ..
        } => format!(
            "{rel} ({} {product_category}, {})",
            label(lang, "basis_purchase"),
            at.format("%Y-%m-%d")
        ),
        ClassificationBasis::Manual { by, reason, at, .. } => format!(
            "{rel} ({}{}, {}: {reason})",
            label(lang, "basis_manual"),
            by.as_deref()
                .map(|b| format!(" {} {b}", label(lang, "by")))
                .unwrap_or_default(),
            at.format("%Y-%m-%d"),
        ),
        ClassificationBasis::Imported => format!("{rel} ({})", label(lang, "basis_imported")),
    }
}

pub fn decision_json(
    contact: &Contact,
    d: &Decision,
    channel: &str,
    purpose: &str,
    at: &str,
) -> Value {
    json!({
        "contact": contact.id,
        "channel": channel,
        "purpose": purpose,
        "at": at,
        "verdict": d.verdict.as_str(),
        "allowed": d.allowed(),
        "reason": d.reason.as_str(),
        "legal_basis": d.legal_basis,
        "explanation": {"de": d.explanation(Lang::De), "en": d.explanation(Lang::En)},
        "events": d.event_ids,
        "consent_state": d.consent_state.as_str(),
        "relationship": d.relationship.as_str(),
        "keep_until": d.keep_until.as_ref().map(format_instant),
    })
}

fn state_label(s: ConsentState, lang: Lang) -> &'static str {
    label(
        lang,
        match s {
            ConsentState::None => "state_none",
            ConsentState::Pending => "state_pending",
            ConsentState::Active => "state_active",
            ConsentState::Revoked => "state_revoked",
        },
    )
}

pub fn decision_text(d: &Decision, lang: Lang) -> String {
    let mut s = format!(
        "{} — {}\n  {}\n  {}: {}",
        label(lang, d.verdict.as_str()).to_uppercase(),
        d.reason,
        d.explanation(lang),
        label(lang, "legal_basis"),
        crate::domain::reason::legal_basis_text(d.legal_basis, lang)
    );
    s.push_str(&format!(
        "\n  {}: {}",
        label(lang, "consent_state"),
        state_label(d.consent_state, lang)
    ));
    if !d.event_ids.is_empty() {
        s.push_str(&format!(
            "\n  {}: {}",
            label(lang, "events"),
            d.event_ids.join(", ")
        ));
    }
    if let Some(k) = d.keep_until {
        s.push_str(&format!(
            "\n  {}: {}",
            label(lang, "keep_until"),
            k.format("%Y-%m-%d")
        ));
    }
    s
}

pub fn summary_json(s: &ContactSummary) -> Value {
    let c = &s.contact;
    json!({
        "id": c.id,
        "name": c.name,
        "company": c.company,
        "party": c.party.as_str(),
        "relationship": s.classification.relationship.as_str(),
        "emails": c.emails,
        "phones": c.phones,
        "customer_number": c.customer_number,
    })
}

pub fn summary_text(s: &ContactSummary, lang: Lang) -> String {
    let c = &s.contact;
    let mut parts = vec![format!("{:<10} {}", c.id, c.display_name())];
    if let (Some(company), false) = (&c.company, c.name.is_empty()) {
        parts.push(company.clone());
    }
    parts.push(label(lang, s.classification.relationship.as_str()).to_owned());
    if let Some(e) = c.emails.first() {
        parts.push(e.clone());
    }
    if let Some(p) = c.phones.first() {
        parts.push(p.clone());
    }
    parts.join(" · ")
}

pub fn event_line(e: &Event) -> String {
    let detail = Value::Object(e.to_object())
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "kind" | "id" | "contact" | "at" | "type"))
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    format!(
        "{}  {:<10} {:<28} {}",
        format_instant(&e.at),
        e.id_str(),
        e.kind.type_name(),
        detail
    )
}

pub fn view_json(v: &ContactView) -> Value {
    let at = format_instant(&v.as_of);
    json!({
        "contact": Value::Object(v.contact.to_object()),
        "classification": classification_json(&v.classification),
        "as_of": at,
        "purpose": v.purpose.as_str(),
        "channels": v.channels.iter().map(|(c, d)| decision_json(&v.contact, d, c.as_str(), v.purpose.as_str(), &at)).collect::<Vec<_>>(),
        "events": v.events.iter().map(|e| Value::Object(e.to_object())).collect::<Vec<_>>(),
    })
}

pub fn view_text(v: &ContactView, lang: Lang) -> String {
    let c = &v.contact;
    let mut out = format!(
        "{} — {} ({})\n",
        c.id,
        c.display_name(),
        label(lang, c.party.as_str())
    );
    let mut field = |key: &'static str, value: String| {
        if !value.is_empty() {
            out.push_str(&format!(
                "  {:<18} {value}\n",
                format!("{}:", label(lang, key))
            ));
        }
    };
    if !c.name.is_empty() {
        field("company", c.company.clone().unwrap_or_default());
    }
    field("emails", c.emails.join(", "));
    field("phones", c.phones.join(", "));
    field(
        "address",
        c.address.as_ref().map(|a| a.one_line()).unwrap_or_default(),
    );
    field(
        "customer_number",
        c.customer_number.clone().unwrap_or_default(),
    );
    field(
        "classification",
        classification_text(&v.classification, lang),
    );
    out.push_str(&format!(
        "\n{} {} — {}: {}\n",
        label(lang, "as_of"),
        format_instant(&v.as_of),
        label(lang, "purpose"),
        v.purpose
    ));
    for (ch, d) in &v.channels {
        out.push_str(&format!(
            "  {:<8} {:<14} {:<40} {}\n",
            label(lang, ch.as_str()),
            label(lang, d.verdict.as_str()),
            d.reason.as_str(),
            d.explanation(lang)
        ));
    }
    out.push_str(&format!("\n{}:\n", label(lang, "history")));
    for e in &v.events {
        out.push_str(&format!("  {}\n", event_line(e)));
    }
    out
}
