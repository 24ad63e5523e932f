//! A small, bounds-checked reader for TNEF (`winmail.dat`, `application/ms-tnef`) attachments.
//!
//! No maintained TNEF crate exists (the `tnef` crate was last released in 2019 and rejects
//! attachments missing optional attributes), so this module reads just what a helpdesk needs:
//! the files attached inside. For each attachment it takes the data (`attAttachData`), the
//! short title (`attAttachTitle`) and, when present, the long filename from the MAPI property
//! `PR_ATTACH_LONG_FILENAME` in `attAttachment`. The RTF message body and other MAPI
//! properties are not decoded; the original `winmail.dat` is always kept as well.

/// TNEF stream signature.
const SIGNATURE: u32 = 0x223E_9F78;
/// Attribute level of attachment attributes.
const LEVEL_ATTACHMENT: u8 = 0x02;
/// `attAttachRendData`: starts a new attachment.
const ATT_ATTACH_REND_DATA: u16 = 0x9002;
/// `attAttachTitle`: 8.3 filename, NUL-terminated, in the OEM code page.
const ATT_ATTACH_TITLE: u16 = 0x8010;
/// `attAttachData`: the file's bytes.
const ATT_ATTACH_DATA: u16 = 0x800F;
/// `attAttachment`: MAPI properties of the attachment.
const ATT_ATTACHMENT: u16 = 0x9005;
/// MAPI property id of `PR_ATTACH_LONG_FILENAME`.
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
/// At most this many MAPI properties are looked at per attachment.
const MAX_PROPS: u32 = 4096;

/// One file found inside a TNEF stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TnefFile {
    pub(crate) name: String,
    pub(crate) data: Vec<u8>,
}

#[derive(Default)]
struct Pending {
    title: Option<String>,
    long_name: Option<String>,
    data: Option<Vec<u8>>,
}

impl Pending {
    fn finish(self, out: &mut Vec<TnefFile>) {
        if let Some(data) = self.data {
            let name = self
                .long_name
                .or(self.title)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("tnef-attachment-{}.bin", out.len() + 1));
            out.push(TnefFile { name, data });
        }
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let bytes = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(bytes)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }
}

/// Extracts the attached files. Returns an empty list for anything that is not a readable TNEF
/// stream; a stream that breaks off midway yields the files read up to that point.
pub(crate) fn extract(data: &[u8]) -> Vec<TnefFile> {
    let mut reader = Reader { buf: data, pos: 0 };
    let mut files = Vec::new();
    if reader.u32() != Some(SIGNATURE) || reader.u16().is_none() {
        return files;
    }
    let mut code_page = 1252u32;
    let mut pending: Option<Pending> = None;
    while !reader.at_end() {
        let Some((level, id, value)) = read_attribute(&mut reader) else {
            break;
        };
        if level != LEVEL_ATTACHMENT {
            if id == 0x9007 && value.len() >= 4 {
                code_page = u32::from_le_bytes([value[0], value[1], value[2], value[3]]);
            }
            continue;
        }
        match id {
            ATT_ATTACH_REND_DATA => {
                if let Some(done) = pending.replace(Pending::default()) {
                    done.finish(&mut files);
                }
            }
            ATT_ATTACH_TITLE => {
                pending.get_or_insert_with(Pending::default).title =
                    Some(decode_8bit(value, code_page));
            }
            ATT_ATTACH_DATA => {
                pending.get_or_insert_with(Pending::default).data = Some(value.to_vec());
            }
            ATT_ATTACHMENT => {
                if let Some(name) = long_filename(value, code_page) {
                    pending.get_or_insert_with(Pending::default).long_name = Some(name);
                }
            }
            _ => {}
        }
    }
    if let Some(done) = pending {
        done.finish(&mut files);
    }
    files
}

/// Reads one attribute: level, id (low 16 bits of the attribute tag), value. The checksum is
/// read but not enforced: a wrong checksum is no reason to hide a customer's file.
fn read_attribute<'a>(reader: &mut Reader<'a>) -> Option<(u8, u16, &'a [u8])> {
    let level = reader.u8()?;
    let tag = reader.u32()?;
    let len = usize::try_from(reader.u32()?).ok()?;
    let value = reader.take(len)?;
    reader.u16()?;
    Some((level, (tag & 0xFFFF) as u16, value))
}

/// Finds `PR_ATTACH_LONG_FILENAME` in a MAPI property list.
fn long_filename(props: &[u8], code_page: u32) -> Option<String> {
    let mut reader = Reader { buf: props, pos: 0 };
    let count = reader.u32()?.min(MAX_PROPS);
    for _ in 0..count {
        let tag = reader.u32()?;
        let (prop_type, prop_id) = ((tag & 0xFFFF) as u16, (tag >> 16) as u16);
        if prop_id >= 0x8000 {
            // Named property: GUID, kind, then an id or a name.
            reader.take(16)?;
            match reader.u32()? {
                0 => {
                    reader.u32()?;
                }
                _ => {
                    let len = usize::try_from(reader.u32()?).ok()?;
                    reader.take(padded(len)?)?;
                }
            }
        }
        let value = read_prop_value(&mut reader, prop_type)?;
        if prop_id == PR_ATTACH_LONG_FILENAME {
            return match (prop_type, value) {
                (0x001F, Some(bytes)) => Some(decode_utf16le(bytes)),
                (0x001E, Some(bytes)) => Some(decode_8bit(bytes, code_page)),
                _ => None,
            };
        }
    }
    None
}

/// Skips (or returns, for strings and binaries) one property value.
fn read_prop_value<'a>(reader: &mut Reader<'a>, prop_type: u16) -> Option<Option<&'a [u8]>> {
    let multi = prop_type & 0x1000 != 0;
    let base = prop_type & 0x0FFF;
    let fixed: Option<usize> = match base {
        0x0002 | 0x0003 | 0x0004 | 0x000A | 0x000B => Some(4), // i16, i32, f32, error, bool (padded)
        0x0005 | 0x0006 | 0x0007 | 0x0014 | 0x0040 => Some(8), // f64, currency, apptime, i64, systime
        0x0048 => Some(16),                                    // GUID
        0x0001 => Some(0),                                     // null
        _ => None,
    };
    if let Some(size) = fixed {
        let count = if multi { reader.u32()? } else { 1 };
        reader.take(size.checked_mul(usize::try_from(count).ok()?)?)?;
        return Some(None);
    }
    // Strings, binaries and objects: a count, then length-prefixed padded values.
    let count = reader.u32()?.min(MAX_PROPS);
    let mut first = None;
    for _ in 0..count {
        let len = usize::try_from(reader.u32()?).ok()?;
        let bytes = reader.take(len)?;
        reader.take(padded(len)? - len)?;
        first.get_or_insert(bytes);
    }
    Some(first)
}

fn padded(len: usize) -> Option<usize> {
    len.checked_add(3).map(|l| l & !3)
}

fn decode_8bit(bytes: &[u8], code_page: u32) -> String {
    let bytes = bytes.split(|&b| b == 0).next().unwrap_or_default();
    let encoding = match code_page {
        65001 => encoding_rs::UTF_8,
        932 => encoding_rs::SHIFT_JIS,
        936 => encoding_rs::GBK,
        949 => encoding_rs::EUC_KR,
        950 => encoding_rs::BIG5,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        _ => encoding_rs::WINDOWS_1252,
    };
    encoding.decode(bytes).0.into_owned()
}

fn decode_utf16le(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_yields_nothing() {
        assert!(extract(b"").is_empty());
        assert!(extract(b"not tnef at all").is_empty());
        assert!(extract(&[0x78, 0x9f, 0x3e, 0x22, 1, 0, 2, 0xff, 0xff]).is_empty());
    }

    #[test]
    fn attachment_title_and_data_are_read() {
        fn attr(level: u8, id: u32, data: &[u8]) -> Vec<u8> {
            let mut v = vec![level];
            v.extend_from_slice(&id.to_le_bytes());
            v.extend_from_slice(&(data.len() as u32).to_le_bytes());
            v.extend_from_slice(data);
            v.extend_from_slice(&[0, 0]);
            v
        }
        let mut tnef = vec![0x78, 0x9f, 0x3e, 0x22, 1, 0];
        tnef.extend(attr(2, 0x0006_9002, &[0; 14]));
        tnef.extend(attr(2, 0x0001_8010, b"a.txt\0"));
        tnef.extend(attr(2, 0x0006_800F, b"hello"));
        assert_eq!(
            extract(&tnef),
            vec![TnefFile {
                name: "a.txt".into(),
                data: b"hello".to_vec()
            }]
        );
        // Cut off in the middle of the data attribute: the broken attachment is dropped.
        tnef.truncate(tnef.len() - 4);
        assert!(extract(&tnef).is_empty());
    }
}
