//! What the signed-in role may do, as the screens show it: an action the role may not take
//! stays visible but disabled, with the reason beside it (a tooltip), so a user learns what
//! their role covers instead of wondering where a button went. The register refuses the
//! same things on its own (`Register::require`); this only keeps the window honest.

use iced::widget::{container, text, tooltip, Button};
use iced::{border, Background, Color, Element, Theme};

use crate::domain::{Permission, Role};
use crate::i18n::{t, tf, Lang};

/// Why `role` may not do `permission`, in one sentence naming the roles that may; `None`
/// when it may.
pub fn refusal(role: Role, permission: Permission, lang: Lang) -> Option<String> {
    if role.allows(permission) {
        return None;
    }
    let needed = needed_roles(permission, lang);
    Some(tf(
        lang,
        "permit-refused",
        &[
            ("role", role.as_str()),
            ("what", t(lang, what_key(permission))),
            ("needed", &needed),
        ],
    ))
}

/// The roles that may do `permission`, lowest first: "officer, auditor or admin".
pub fn needed_roles(permission: Permission, lang: Lang) -> String {
    let roles: Vec<&str> = permission
        .needed_by()
        .into_iter()
        .map(Role::as_str)
        .collect();
    match roles.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), t(lang, "permit-or")),
        None => Role::Admin.as_str().to_owned(),
    }
}

/// Whether `role` may do `permission` (for `update`: a refused message starts nothing).
pub fn allows(role: Role, permission: Permission) -> bool {
    role.allows(permission)
}

fn what_key(permission: Permission) -> &'static str {
    match permission {
        Permission::Read => "permit-read",
        Permission::Check => "permit-check",
        Permission::Screen => "permit-screen",
        Permission::Record => "permit-record",
        Permission::Import => "permit-import",
        Permission::Erase => "permit-erase",
        Permission::Report => "permit-report",
        Permission::Export => "permit-export",
        Permission::Verify => "permit-verify",
        Permission::ManageUsers => "permit-manage-users",
        Permission::ChangeSettings => "permit-change-settings",
        Permission::Administer => "permit-administer",
    }
}

/// `button` pressing `message` when `role` may do `permission`; otherwise the same button
/// disabled, with the refusal as its tooltip.
pub fn guarded<'a, M: Clone + 'a>(
    button: Button<'a, M>,
    message: Option<M>,
    role: Role,
    permission: Permission,
    lang: Lang,
) -> Element<'a, M> {
    match refusal(role, permission, lang) {
        None => button.on_press_maybe(message).into(),
        Some(reason) => tooltip(
            button,
            container(text(reason).size(13))
                .padding([6, 10])
                .max_width(360)
                .style(tip_style),
            tooltip::Position::Bottom,
        )
        .into(),
    }
}

/// The refusal as a short muted line, for places where a whole area is read-only
/// (the policy settings) and a tooltip would hide the reason.
pub fn note<'a, M: 'a>(role: Role, permission: Permission, lang: Lang) -> Option<Element<'a, M>> {
    refusal(role, permission, lang).map(|reason| {
        text(reason)
            .size(13)
            .color(crate::gui::theme::MUTED_TEXT)
            .into()
    })
}

fn tip_style(_theme: &Theme) -> container::Style {
    container::Style {
        background: Some(Background::Color(Color::from_rgb(1.0, 0.98, 0.88))),
        border: border::rounded(4)
            .color(crate::gui::theme::ROW_BORDER)
            .width(1),
        text_color: Some(Color::from_rgb(0.15, 0.15, 0.15)),
        ..container::Style::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_names_the_roles_that_may() {
        assert_eq!(
            refusal(Role::Agent, Permission::Record, Lang::En).unwrap(),
            "Not with the role agent: recording events and classifying needs the role officer or admin."
        );
        assert_eq!(
            refusal(Role::Officer, Permission::ChangeSettings, Lang::De).unwrap(),
            "Nicht mit der Rolle officer: Einstellungen ändern braucht die Rolle admin."
        );
        let verify = refusal(Role::Officer, Permission::Verify, Lang::En).unwrap();
        assert!(
            verify.ends_with("needs the role auditor or admin."),
            "{verify}"
        );
        let import = refusal(Role::Auditor, Permission::Import, Lang::De).unwrap();
        assert!(import.contains("officer oder admin"), "{import}");
    }

    #[test]
    fn what_a_role_may_do_has_no_reason() {
        for role in crate::domain::access::ROLES {
            for p in [Permission::Read, Permission::Check, Permission::Screen] {
                assert_eq!(refusal(role, p, Lang::De), None);
            }
        }
        assert_eq!(refusal(Role::Admin, Permission::Administer, Lang::En), None);
    }
}
