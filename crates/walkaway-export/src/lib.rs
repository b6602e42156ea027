//! Tables out of walkaway: a plain column table ([`Table`]) written as CSV
//! or as Parquet (zstd-compressed), and read back from either.
//!
//! The table is deliberately small: named columns of floating-point numbers,
//! unsigned counts or text, all of one length. Sweeps, forecasts and
//! trajectories are turned into a `Table` by their callers; this crate knows
//! nothing about the models.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, Float64Array, RecordBatch, RecordBatchReader, StringArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use thiserror::Error;

/// Why a table could not be built, written or read.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("column `{name}` has {len} values but the table has {rows} rows")]
    LengthMismatch {
        name: String,
        len: usize,
        rows: usize,
    },
    #[error("column name `{name}` appears twice")]
    DuplicateColumn { name: String },
    #[error("cannot {action} `{path}`: {message}")]
    Io {
        action: &'static str,
        path: String,
        message: String,
    },
    #[error("`{path}` is not a table we can read: {message}")]
    Format { path: String, message: String },
    #[error("file `{path}` has extension `{extension}`; allowed: .csv, .parquet")]
    UnknownExtension { path: String, extension: String },
}

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    F64(Vec<f64>),
    U64(Vec<u64>),
    Text(Vec<String>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::F64(v) => v.len(),
            Values::U64(v) => v.len(),
            Values::Text(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column as numbers (counts converted; text is `None`).
    pub fn as_f64(&self) -> Option<Vec<f64>> {
        match self {
            Values::F64(v) => Some(v.clone()),
            Values::U64(v) => Some(v.iter().map(|x| *x as f64).collect()),
            Values::Text(_) => None,
        }
    }
}

/// A named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub values: Values,
}

/// Named columns of one length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    columns: Vec<Column>,
}

impl Table {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column; every column must have as many values as the first.
    pub fn push(&mut self, name: impl Into<String>, values: Values) -> Result<(), ExportError> {
        let name = name.into();
        if self.columns.iter().any(|c| c.name == name) {
            return Err(ExportError::DuplicateColumn { name });
        }
        if let Some(first) = self.columns.first()
            && first.values.len() != values.len()
        {
            return Err(ExportError::LengthMismatch {
                name,
                len: values.len(),
                rows: first.values.len(),
            });
        }
        self.columns.push(Column { name, values });
        Ok(())
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The table as CSV text: a header row, then one line per row. Numbers
    /// are written in Rust's shortest round-trip form, so reading them back
    /// gives the same bits; NaN is written as an empty field.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let header: Vec<String> = self.columns.iter().map(|c| csv_field(&c.name)).collect();
        out.push_str(&header.join(","));
        out.push('\n');
        for r in 0..self.rows() {
            let fields: Vec<String> = self
                .columns
                .iter()
                .map(|c| match &c.values {
                    Values::F64(v) if v[r].is_nan() => String::new(),
                    Values::F64(v) => format!("{}", v[r]),
                    Values::U64(v) => v[r].to_string(),
                    Values::Text(v) => csv_field(&v[r]),
                })
                .collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        out
    }

    /// The table as one Arrow record batch.
    pub fn to_record_batch(&self) -> Result<RecordBatch, ExportError> {
        let fields: Vec<Field> = self
            .columns
            .iter()
            .map(|c| {
                let t = match c.values {
                    Values::F64(_) => DataType::Float64,
                    Values::U64(_) => DataType::UInt64,
                    Values::Text(_) => DataType::Utf8,
                };
                Field::new(&c.name, t, false)
            })
            .collect();
        let arrays: Vec<ArrayRef> = self
            .columns
            .iter()
            .map(|c| -> ArrayRef {
                match &c.values {
                    Values::F64(v) => Arc::new(Float64Array::from(v.clone())),
                    Values::U64(v) => Arc::new(UInt64Array::from(v.clone())),
                    Values::Text(v) => Arc::new(StringArray::from(v.clone())),
                }
            })
            .collect();
        let schema = Arc::new(Schema::new(fields));
        if arrays.is_empty() {
            return Ok(RecordBatch::new_empty(schema));
        }
        RecordBatch::try_new(schema, arrays).map_err(|e| ExportError::Format {
            path: "(table)".into(),
            message: e.to_string(),
        })
    }

    /// Parquet bytes: one row group, zstd-compressed columns.
    pub fn to_parquet(&self) -> Result<Vec<u8>, ExportError> {
        let batch = self.to_record_batch()?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_created_by("walkaway".into())
            .build();
        let fail = |e: parquet::errors::ParquetError| ExportError::Format {
            path: "(parquet writer)".into(),
            message: e.to_string(),
        };
        let mut buffer = Vec::new();
        let mut writer =
            ArrowWriter::try_new(&mut buffer, batch.schema(), Some(props)).map_err(fail)?;
        writer.write(&batch).map_err(fail)?;
        writer.close().map_err(fail)?;
        Ok(buffer)
    }

    /// Writes CSV or Parquet, chosen by the file's extension.
    pub fn write(&self, path: &Path) -> Result<(), ExportError> {
        let bytes = match TableFormat::of(path)? {
            TableFormat::Csv => self.to_csv().into_bytes(),
            TableFormat::Parquet => self.to_parquet()?,
        };
        let io = |action, e: std::io::Error| ExportError::Io {
            action,
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let mut file = File::create(path).map_err(|e| io("create", e))?;
        file.write_all(&bytes).map_err(|e| io("write", e))?;
        Ok(())
    }

    /// Reads a table written by [`Table::write`] (CSV: every column that
    /// parses as numbers becomes numbers, the rest text).
    pub fn read(path: &Path) -> Result<Table, ExportError> {
        match TableFormat::of(path)? {
            TableFormat::Csv => {
                let text = std::fs::read_to_string(path).map_err(|e| ExportError::Io {
                    action: "read",
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
                Table::from_csv(&text).map_err(|message| ExportError::Format {
                    path: path.display().to_string(),
                    message,
                })
            }
            TableFormat::Parquet => read_parquet(path),
        }
    }

    /// Parses CSV as written by [`Table::to_csv`] (quoted fields allowed).
    pub fn from_csv(text: &str) -> Result<Table, String> {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header = split_csv_line(lines.next().ok_or("the file is empty")?)?;
        let mut cells: Vec<Vec<String>> = vec![Vec::new(); header.len()];
        for (i, line) in lines.enumerate() {
            let fields = split_csv_line(line)?;
            if fields.len() != header.len() {
                return Err(format!(
                    "row {} has {} fields; the header has {}",
                    i + 2,
                    fields.len(),
                    header.len()
                ));
            }
            for (c, f) in cells.iter_mut().zip(fields) {
                c.push(f);
            }
        }
        let mut table = Table::new();
        for (name, column) in header.into_iter().zip(cells) {
            let numbers: Option<Vec<f64>> = column
                .iter()
                .map(|s| {
                    if s.is_empty() {
                        Some(f64::NAN)
                    } else {
                        s.parse::<f64>().ok()
                    }
                })
                .collect();
            let values = match numbers {
                Some(v) => Values::F64(v),
                None => Values::Text(column),
            };
            table.push(name, values).map_err(|e| e.to_string())?;
        }
        Ok(table)
    }
}

/// The file formats a table is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Parquet,
}

impl TableFormat {
    /// The format named by a path's extension (`.csv` or `.parquet`).
    pub fn of(path: &Path) -> Result<Self, ExportError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Ok(Self::Csv),
            "parquet" => Ok(Self::Parquet),
            _ => Err(ExportError::UnknownExtension {
                path: path.display().to_string(),
                extension: if extension.is_empty() {
                    "(none)".into()
                } else {
                    format!(".{extension}")
                },
            }),
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("unclosed quote in line `{line}`"));
    }
    fields.push(field);
    Ok(fields)
}

fn read_parquet(path: &Path) -> Result<Table, ExportError> {
    let shown = path.display().to_string();
    let format = |message: String| ExportError::Format {
        path: shown.clone(),
        message,
    };
    let file = File::open(path).map_err(|e| ExportError::Io {
        action: "open",
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| format(e.to_string()))?;
    let schema = reader.schema();
    let mut columns: Vec<Values> = schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Float64 => Ok(Values::F64(Vec::new())),
            DataType::UInt64 => Ok(Values::U64(Vec::new())),
            DataType::Utf8 => Ok(Values::Text(Vec::new())),
            other => Err(format(format!(
                "column `{}` has type {other}; allowed: Float64, UInt64, Utf8",
                f.name()
            ))),
        })
        .collect::<Result<_, _>>()?;
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    for batch in reader {
        let batch = batch.map_err(|e| format(e.to_string()))?;
        for (values, array) in columns.iter_mut().zip(batch.columns()) {
            let mismatch = || format("a column's data does not match its type".into());
            match values {
                Values::F64(v) => {
                    let a = array
                        .as_any()
                        .downcast_ref::<Float64Array>()
                        .ok_or_else(mismatch)?;
                    v.extend((0..a.len()).map(|i| a.value(i)));
                }
                Values::U64(v) => {
                    let a = array
                        .as_any()
                        .downcast_ref::<UInt64Array>()
                        .ok_or_else(mismatch)?;
                    v.extend((0..a.len()).map(|i| a.value(i)));
                }
                Values::Text(v) => {
                    let a = array
                        .as_any()
                        .downcast_ref::<StringArray>()
                        .ok_or_else(mismatch)?;
                    v.extend((0..a.len()).map(|i| a.value(i).to_string()));
                }
            }
        }
    }
    let mut table = Table::new();
    for (name, values) in names.into_iter().zip(columns) {
        table.push(name, values)?;
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new();
        t.push("x", Values::F64(vec![0.0, 0.1, 1.0 / 3.0])).unwrap();
        t.push("n", Values::U64(vec![1, 2, u64::MAX])).unwrap();
        t.push(
            "label",
            Values::Text(vec!["a".into(), "b, \"c\"".into(), "d".into()]),
        )
        .unwrap();
        t
    }

    #[test]
    fn csv_round_trips_numbers_bit_for_bit_and_quotes_text() {
        let t = sample();
        let csv = t.to_csv();
        assert!(csv.starts_with("x,n,label\n"), "{csv}");
        assert!(csv.contains("\"b, \"\"c\"\"\""), "{csv}");
        let back = Table::from_csv(&csv).unwrap();
        assert_eq!(
            back.column("x").unwrap().values,
            Values::F64(vec![0.0, 0.1, 1.0 / 3.0])
        );
        assert_eq!(back.column("label").unwrap().values, t.columns()[2].values);
        // u64::MAX does not survive f64; the reader gives numbers.
        assert_eq!(
            back.column("n").unwrap().values.as_f64().unwrap()[..2],
            [1.0, 2.0]
        );
    }

    #[test]
    fn parquet_round_trips_every_column_type() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let t = sample();
        t.write(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
        assert_eq!(Table::read(&path).unwrap(), t);
    }

    #[test]
    fn mismatched_lengths_and_names_are_refused_with_the_column_named() {
        let mut t = sample();
        let err = t.push("y", Values::F64(vec![1.0])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "column `y` has 1 values but the table has 3 rows"
        );
        let err = t.push("x", Values::F64(vec![1.0; 3])).unwrap_err();
        assert!(err.to_string().contains("`x` appears twice"), "{err}");
    }

    #[test]
    fn unknown_extensions_name_the_allowed_ones() {
        let err = sample().write(Path::new("out.xlsx")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "file `out.xlsx` has extension `.xlsx`; allowed: .csv, .parquet"
        );
        let err = TableFormat::of(Path::new("out")).unwrap_err();
        assert!(err.to_string().contains("(none)"), "{err}");
    }

    #[test]
    fn bad_csv_is_an_error_not_a_panic() {
        assert!(Table::from_csv("").is_err());
        assert!(Table::from_csv("a,b\n1\n").unwrap_err().contains("row 2"));
        assert!(Table::from_csv("a\n\"x\n").is_err());
    }
}
