//! RACI roles and sets of them.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Responsible,
    Accountable,
    Consulted,
    Informed,
}

impl Role {
    /// In RACI order.
    pub const ALL: [Role; 4] = [
        Role::Responsible,
        Role::Accountable,
        Role::Consulted,
        Role::Informed,
    ];

    pub fn letter(self) -> char {
        match self {
            Role::Responsible => 'R',
            Role::Accountable => 'A',
            Role::Consulted => 'C',
            Role::Informed => 'I',
        }
    }

    pub fn from_letter(s: &str) -> Option<Role> {
        match s {
            "R" => Some(Role::Responsible),
            "A" => Some(Role::Accountable),
            "C" => Some(Role::Consulted),
            "I" => Some(Role::Informed),
            _ => None,
        }
    }

    /// The key an ownership file uses for this role.
    pub fn key(self) -> &'static str {
        match self {
            Role::Responsible => "responsible",
            Role::Accountable => "accountable",
            Role::Consulted => "consulted",
            Role::Informed => "informed",
        }
    }

    pub fn from_key(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == s)
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Responsible => "Responsible",
            Role::Accountable => "Accountable",
            Role::Consulted => "Consulted",
            Role::Informed => "Informed",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of roles; iteration is in RACI order whatever order the source wrote them in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RoleSet(u8);

impl RoleSet {
    pub const EMPTY: RoleSet = RoleSet(0);
    /// The roles that make an activity a duty when the customer holds one of them.
    pub const DUTY: RoleSet = RoleSet(0b11);

    pub fn insert(&mut self, role: Role) {
        self.0 |= role.bit();
    }

    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn intersection(self, other: RoleSet) -> RoleSet {
        RoleSet(self.0 & other.0)
    }

    /// The roles a customer with this share may declare: its share, plus C and I, which may
    /// always be declared.
    pub fn claimable(self) -> RoleSet {
        RoleSet(self.0 | Role::Consulted.bit() | Role::Informed.bit())
    }

    pub fn difference(self, other: RoleSet) -> RoleSet {
        RoleSet(self.0 & !other.0)
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }

    /// "Responsible and Accountable", "no role".
    pub fn names(self) -> String {
        let names: Vec<&str> = self.iter().map(Role::name).collect();
        match names.as_slice() {
            [] => "no role".to_owned(),
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }

    /// "R, A".
    pub fn letters(self) -> String {
        let letters: Vec<String> = self.iter().map(|r| r.letter().to_string()).collect();
        letters.join(", ")
    }
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        let mut set = RoleSet::EMPTY;
        for role in iter {
            set.insert(role);
        }
        set
    }
}

impl fmt::Display for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.letters())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_iterate_in_raci_order_and_name_themselves() {
        let set: RoleSet = [Role::Informed, Role::Accountable, Role::Responsible]
            .into_iter()
            .collect();
        assert_eq!(set.letters(), "R, A, I");
        assert_eq!(set.names(), "Responsible, Accountable and Informed");
        assert_eq!(set.intersection(RoleSet::DUTY).letters(), "R, A");
        assert_eq!(RoleSet::EMPTY.names(), "no role");
    }
}
