//! Field readers for ledger JSON objects that name the field in every error.

use serde_json::{Map, Value};

use super::error::ValidationError;

pub type Object = Map<String, Value>;

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Takes `key` out of `obj` so that what is left are the unknown fields.
pub struct Fields {
    obj: Object,
}

impl Fields {
    pub fn new(obj: Object) -> Self {
        Self { obj }
    }

    /// The remaining (unknown) fields, kept for the round trip.
    pub fn rest(self) -> Object {
        self.obj
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        match self.obj.remove(key) {
            Some(Value::Null) | None => None,
            Some(v) => Some(v),
        }
    }

    pub fn opt_str(&mut self, key: &str) -> Result<Option<String>, ValidationError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(ValidationError::new(
                key,
                format!("expected a string, found {}", kind_of(&v)),
            )),
        }
    }

    pub fn req_str(&mut self, key: &str) -> Result<String, ValidationError> {
        match self.opt_str(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(_) => Err(ValidationError::new(key, "must not be empty")),
            None => Err(ValidationError::new(key, "is missing")),
        }
    }

    pub fn opt_bool(&mut self, key: &str) -> Result<Option<bool>, ValidationError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(v) => Err(ValidationError::new(
                key,
                format!("expected true or false, found {}", kind_of(&v)),
            )),
        }
    }

    pub fn req_bool(&mut self, key: &str) -> Result<bool, ValidationError> {
        self.opt_bool(key)?
            .ok_or_else(|| ValidationError::new(key, "is missing (true or false)"))
    }

    pub fn opt_str_list(&mut self, key: &str) -> Result<Option<Vec<String>>, ValidationError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s),
                    other => Err(ValidationError::new(
                        format!("{key}[{i}]"),
                        format!("expected a string, found {}", kind_of(&other)),
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(v) => Err(ValidationError::new(
                key,
                format!("expected a list, found {}", kind_of(&v)),
            )),
        }
    }

    pub fn req_str_list(&mut self, key: &str) -> Result<Vec<String>, ValidationError> {
        match self.opt_str_list(key)? {
            Some(list) if !list.is_empty() => Ok(list),
            Some(_) => Err(ValidationError::new(key, "must name at least one entry")),
            None => Err(ValidationError::new(key, "is missing")),
        }
    }

    pub fn opt_object(&mut self, key: &str) -> Result<Option<Object>, ValidationError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(v) => Err(ValidationError::new(
                key,
                format!("expected an object, found {}", kind_of(&v)),
            )),
        }
    }

    /// Any JSON value, kept as it is (e.g. `old`/`new` of `contact_changed`).
    pub fn opt_value(&mut self, key: &str) -> Option<Value> {
        self.take(key)
    }
}

/// Builds an output object in a fixed field order, skipping absent optionals.
#[derive(Default)]
pub struct Writer {
    obj: Object,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn put(mut self, key: &str, v: impl Into<Value>) -> Self {
        self.obj.insert(key.to_owned(), v.into());
        self
    }
    pub fn opt<T: Into<Value>>(mut self, key: &str, v: Option<T>) -> Self {
        if let Some(v) = v {
            self.obj.insert(key.to_owned(), v.into());
        }
        self
    }
    pub fn extend(mut self, rest: &Object) -> Self {
        for (k, v) in rest {
            self.obj.entry(k.clone()).or_insert_with(|| v.clone());
        }
        self
    }
    pub fn build(self) -> Object {
        self.obj
    }
}
