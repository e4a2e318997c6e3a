//! `settings get [KEY]` and `settings set KEY VALUE`: the policy keys and the controller's
//! details (for reports) behind one list.

use serde_json::{json, Map, Value};

use super::commands::open;
use super::error::{exit, CliError};
use super::{Cli, SettingsCommand};
use crate::i18n::{t, Lang};
use crate::register::Register;

fn show(cli: &Cli, lang: Lang, values: Vec<(String, Option<String>)>) {
    if cli.json {
        let obj: Map<String, Value> = values.into_iter().map(|(k, v)| (k, json!(v))).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&Value::Object(obj)).unwrap_or_default()
        );
    } else {
        for (k, v) in values {
            let v = v.unwrap_or_else(|| t(lang, "settings-not-set").to_owned());
            println!("{k} = {v}");
        }
    }
}

pub fn run(cli: &Cli, lang: Lang, command: &SettingsCommand) -> Result<i32, CliError> {
    match command {
        SettingsCommand::Get { key } => {
            let reg = open(cli)?;
            let keys: Vec<&str> = match key {
                Some(k) => vec![k.as_str()],
                None => Register::setting_keys(),
            };
            let mut values = Vec::new();
            for k in keys {
                values.push((k.to_owned(), reg.setting_value(k)?));
            }
            show(cli, lang, values);
        }
        SettingsCommand::Set { key, value } => {
            let mut reg = open(cli)?;
            let stored = reg.set_setting_value(key, value)?;
            show(cli, lang, vec![(key.clone(), stored)]);
        }
    }
    Ok(exit::OK)
}
