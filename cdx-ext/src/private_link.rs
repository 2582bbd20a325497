//! Cloud accounts for redeeming a share over private networking: AWS PrivateLink, Azure Private
//! Link and GCP Private Service Connect.

use crate::invalid_input::InvalidInput;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! account_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:path) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates the identifier.
            pub fn new(value: impl AsRef<str>) -> Result<Self, InvalidInput> {
                let value = value.as_ref().trim();
                $check(value).map_err(|reason| InvalidInput::new($what, &reason))?;
                Ok(Self(value.to_string()))
            }
            /// The identifier as the API takes it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl FromStr for $name {
            type Err = InvalidInput;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }
        impl TryFrom<String> for $name {
            type Error = InvalidInput;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

account_id!(
    /// An AWS account ID: exactly 12 digits (e.g. `000000000000`).
    AwsAccountId, "AWS account ID", check_aws
);
account_id!(
    /// An Azure subscription ID: a UUID (e.g. `00000000-0000-0000-0000-000000000000`).
    AzureSubscriptionId, "Azure subscription ID", check_azure
);
account_id!(
    /// A GCP project ID: 6 to 30 characters, lowercase letters, digits and hyphens, starting with
    /// a letter and not ending with a hyphen (e.g. `my-project-123`), optionally scoped by a
    /// domain (`example.com:my-project`), as Google Workspace organizations' legacy projects are.
    /// It is sent exactly as given.
    GcpProjectId, "GCP project ID", check_gcp
);

fn check_aws(v: &str) -> Result<(), String> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "{v:?} is not 12 digits; an AWS account ID looks like 000000000000"
        ))
    }
}

fn check_azure(v: &str) -> Result<(), String> {
    let groups: Vec<&str> = v.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip(lens)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{v:?} is not a UUID; an Azure subscription ID looks like 00000000-0000-0000-0000-000000000000"
        ))
    }
}

fn check_gcp(v: &str) -> Result<(), String> {
    let Some((domain, project)) = v.rsplit_once(':') else {
        return check_gcp_project(v);
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !domain.contains('.') || domain.len() > 253 || !domain.split('.').all(label_ok) {
        return Err(format!(
            "{v:?} has no valid domain before the ':'; a domain-scoped GCP project ID looks like example.com:my-project"
        ));
    }
    check_gcp_project(project)
}

fn check_gcp_project(v: &str) -> Result<(), String> {
    let hint = "a GCP project ID has 6 to 30 lowercase letters, digits or hyphens, starts with a letter and does not end with a hyphen";
    if !(6..=30).contains(&v.len()) {
        return Err(format!(
            "{v:?} is {} characters long; {hint}",
            v.chars().count()
        ));
    }
    let first_ok = v.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    let chars_ok = v
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !first_ok || !chars_ok || v.ends_with('-') {
        return Err(format!("{v:?} is not valid; {hint}"));
    }
    Ok(())
}

/// The consumer's cloud account for a private-link redemption. A redeem sends exactly this one
/// field (`aws_account`, `azure_subscription` or `gcp_project`), or none for the public internet.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivateLinkAccount {
    /// AWS PrivateLink, from this AWS account.
    #[serde(rename = "aws_account")]
    Aws(AwsAccountId),
    /// Azure Private Link, from this subscription.
    #[serde(rename = "azure_subscription")]
    Azure(AzureSubscriptionId),
    /// GCP Private Service Connect, from this project.
    #[serde(rename = "gcp_project")]
    Gcp(GcpProjectId),
}

impl PrivateLinkAccount {
    /// The cloud's name as the API spells it (`AWS`, `AZURE`, `GCP`).
    pub fn cloud(&self) -> &'static str {
        match self {
            Self::Aws(_) => "AWS",
            Self::Azure(_) => "AZURE",
            Self::Gcp(_) => "GCP",
        }
    }

    /// The account identifier.
    pub fn id(&self) -> &str {
        match self {
            Self::Aws(v) => v.as_str(),
            Self::Azure(v) => v.as_str(),
            Self::Gcp(v) => v.as_str(),
        }
    }
}

/// `aws:000000000000`, `azure:<uuid>` or `gcp:<project>`.
impl fmt::Display for PrivateLinkAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.cloud().to_ascii_lowercase(), self.id())
    }
}

/// Parses `aws:ID`, `azure:ID` or `gcp:ID` (the cloud name is case-insensitive).
impl FromStr for PrivateLinkAccount {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((cloud, id)) = s.split_once(':') else {
            return Err(InvalidInput::new(
                "private-link account",
                "expected CLOUD:ID, as aws:000000000000, azure:<subscription UUID> or gcp:<project ID>",
            ));
        };
        match cloud.trim().to_ascii_lowercase().as_str() {
            "aws" => Ok(Self::Aws(id.parse()?)),
            "azure" => Ok(Self::Azure(id.parse()?)),
            "gcp" => Ok(Self::Gcp(id.parse()?)),
            other => Err(InvalidInput::new(
                "private-link account",
                &format!("unknown cloud {other:?}; use aws, azure or gcp"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_is_exactly_twelve_digits() {
        assert!(AwsAccountId::new("000000000000").is_ok());
        assert!(AwsAccountId::new(" 123456789012 ").is_ok());
        for bad in [
            "",
            "12345678901",
            "1234567890123",
            "12345678901a",
            "１２３４５６７８９０１２",
        ] {
            assert!(AwsAccountId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn azure_is_a_uuid() {
        assert!(AzureSubscriptionId::new("00000000-0000-0000-0000-000000000000").is_ok());
        assert!(AzureSubscriptionId::new("3F2504E0-4F89-11D3-9A0C-0305E82C3301").is_ok());
        for bad in [
            "",
            "00000000000000000000000000000000",
            "0000000-00000-0000-0000-000000000000",
            "g0000000-0000-0000-0000-000000000000",
        ] {
            assert!(AzureSubscriptionId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn gcp_follows_project_id_rules() {
        for ok in [
            "abcdef",
            "my-project-123",
            "a23456789012345678901234567890",
            "example.com:my-project",
            "sub.example-corp.co.uk:abcdef",
        ] {
            assert!(GcpProjectId::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "abcde",
            "1project",
            "my_project",
            "My-project",
            "project-",
            "a234567890123456789012345678901",
            "",
            ":my-project",
            "example:my-project",
            "Example.com:my-project",
            "example.com:",
            "example.com:My-project",
            "-bad.com:my-project",
            "a.com:b.com:my-project",
        ] {
            assert!(GcpProjectId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_and_displays_cloud_prefixed_accounts() {
        let a: PrivateLinkAccount = "AWS:000000000000".parse().unwrap();
        assert_eq!(
            a,
            PrivateLinkAccount::Aws(AwsAccountId::new("000000000000").unwrap())
        );
        assert_eq!(a.to_string(), "aws:000000000000");
        assert!(
            "oracle:123"
                .parse::<PrivateLinkAccount>()
                .unwrap_err()
                .to_string()
                .contains("unknown cloud")
        );
        assert!("000000000000".parse::<PrivateLinkAccount>().is_err());
    }

    #[test]
    fn serialises_as_the_api_field() {
        let a = PrivateLinkAccount::Gcp(GcpProjectId::new("my-project").unwrap());
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::json!({"gcp_project": "my-project"})
        );
        let bad: Result<PrivateLinkAccount, _> =
            serde_json::from_value(serde_json::json!({"aws_account": "12"}));
        assert!(bad.is_err());
    }
}
