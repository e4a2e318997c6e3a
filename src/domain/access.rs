//! Roles and what each may do. Pure: the register facade asks `Role::allows` before every
//! command, so the CLI and the GUI enforce the same rules.

use std::fmt;
use std::str::FromStr;

use super::error::ValidationError;

/// A staff member's role (issue 5 / DESIGN.md "Users and roles").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Call-centre agent: search, show, check, screen.
    Agent,
    /// Data protection officer: agent + record, classify, import, erase, reports, exports.
    Officer,
    /// Auditor: read, reports, exports, verify; never writes.
    Auditor,
    /// Administrator: everything, plus users, settings, rekey, backup.
    Admin,
}

pub const ROLES: [Role; 4] = [Role::Agent, Role::Officer, Role::Auditor, Role::Admin];

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Officer => "officer",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Agent => matches!(permission, Read | Check | Screen),
            Role::Officer => !matches!(
                permission,
                Verify | ManageUsers | ChangeSettings | Administer
            ),
            Role::Auditor => matches!(permission, Read | Check | Screen | Report | Export | Verify),
        }
    }
}

impl FromStr for Role {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ROLES.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            ValidationError::new(
                "role",
                format!("`{s}` is not a role (expected agent, officer, auditor or admin)"),
            )
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a command needs. One permission per kind of work, not per command, so the matrix
/// stays readable; `Permission::needed_by` names the roles for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// search, show, the contact screen, settings get, user list of oneself.
    Read,
    /// one decision (`check`).
    Check,
    /// list screening.
    Screen,
    /// record an event, classify, edit a contact.
    Record,
    /// imports.
    Import,
    /// erasure with suppression entry.
    Erase,
    /// PDF reports (evidence, access, register).
    Report,
    /// ledger and analytics exports.
    Export,
    /// `verify`: recompute the audit chain.
    Verify,
    /// user add / remove / passwd of another user.
    ManageUsers,
    /// settings set, policy changes.
    ChangeSettings,
    /// rekey, backup.
    Administer,
}

impl Permission {
    /// A short English name of the work, for "role X may not …" messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Read => "read the register",
            Permission::Check => "check a contact",
            Permission::Screen => "screen a list",
            Permission::Record => "record events or classify",
            Permission::Import => "import",
            Permission::Erase => "erase a person",
            Permission::Report => "make reports",
            Permission::Export => "export",
            Permission::Verify => "verify the register",
            Permission::ManageUsers => "manage users",
            Permission::ChangeSettings => "change settings",
            Permission::Administer => "rekey or back up the register",
        }
    }

    /// The roles that may do this, lowest first.
    pub fn needed_by(self) -> Vec<Role> {
        ROLES.into_iter().filter(|r| r.allows(self)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn role_matrix_is_exactly_issue_5() {
        let all = [
            Read,
            Check,
            Screen,
            Record,
            Import,
            Erase,
            Report,
            Export,
            Verify,
            ManageUsers,
            ChangeSettings,
            Administer,
        ];
        let agent = [Read, Check, Screen];
        let officer = [Read, Check, Screen, Record, Import, Erase, Report, Export];
        let auditor = [Read, Check, Screen, Report, Export, Verify];
        for p in all {
            assert_eq!(Role::Agent.allows(p), agent.contains(&p), "agent {p:?}");
            assert_eq!(
                Role::Officer.allows(p),
                officer.contains(&p),
                "officer {p:?}"
            );
            assert_eq!(
                Role::Auditor.allows(p),
                auditor.contains(&p),
                "auditor {p:?}"
            );
            assert!(Role::Admin.allows(p), "admin {p:?}");
        }
    }

    #[test]
    fn roles_parse_and_print() {
        for r in ROLES {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        let e = "boss".parse::<Role>().unwrap_err();
        assert_eq!(e.field, "role");
        assert_eq!(Erase.needed_by(), vec![Role::Officer, Role::Admin]);
    }
}
