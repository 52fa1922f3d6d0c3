// Bencode (BEP 3) for the spec peer, written from BEP 3 and docs/lane-protocol.md ("Messages").
//
// Values: integers are BigInt (lane amounts reach 2^62, past Number's 2^53), byte strings are
// Buffers, lists are arrays, dictionaries are Maps keyed by the raw key as a 'latin1' string (so
// any byte string round-trips and keys sort as raw bytes).

export class BencodeError extends Error {}

// docs/lane-protocol.md lets a receiver refuse a payload nested deeper than 16 levels or holding
// more than 4096 items; a .torrent passes larger limits.
export const laneLimits = { maxDepth: 16, maxItems: 4096 };

// Canonical encoding: keys sorted as raw byte strings, integers without leading zeros.
export function encode(value) {
    const parts = [];
    const put = (v) => {
        if (typeof v === 'bigint' || typeof v === 'number') {
            if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new BencodeError(`not an integer: ${v}`);
            parts.push(Buffer.from(`i${BigInt(v).toString()}e`, 'latin1'));
        } else if (typeof v === 'string') {
            const bytes = Buffer.from(v, 'utf8');
            parts.push(Buffer.from(`${bytes.length}:`, 'latin1'), bytes);
        } else if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
            parts.push(Buffer.from(`${v.length}:`, 'latin1'), Buffer.from(v));
        } else if (Array.isArray(v)) {
            parts.push(Buffer.from('l'));
            v.forEach(put);
            parts.push(Buffer.from('e'));
        } else if (v instanceof Map || (v && typeof v === 'object')) {
            const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
            const keyed = entries.map(([k, val]) => [Buffer.from(k, v instanceof Map ? 'latin1' : 'utf8'), val]);
            keyed.sort((a, b) => Buffer.compare(a[0], b[0]));
            parts.push(Buffer.from('d'));
            for (const [k, val] of keyed) {
                put(k);
                put(val);
            }
            parts.push(Buffer.from('e'));
        } else {
            throw new BencodeError(`cannot bencode ${typeof v}`);
        }
    };
    put(value);
    return Buffer.concat(parts);
}

// Decodes exactly one value spanning all of `buf`. With `strict`, non-canonical input (unsorted or
// repeated keys, leading zeros, -0) is an error; `spans` records where each top-level dictionary
// value starts and ends (the torrent's `info` needs its raw bytes for the info-hash).
export function decode(buf, { strict = true, spans = false, limits = laneLimits } = {}) {
    let pos = 0;
    let items = 0;
    const topSpans = new Map();
    const fail = (what) => {
        throw new BencodeError(`${what} at byte ${pos}`);
    };
    const readInt = (terminator) => {
        const end = buf.indexOf(terminator, pos);
        if (end < 0) fail('unterminated integer');
        const text = buf.toString('latin1', pos, end);
        if (!/^-?\d+$/.test(text)) fail('bad integer');
        if (strict && (/^-?0\d/.test(text) || text === '-0')) fail('non-canonical integer');
        pos = end + 1;
        return BigInt(text);
    };
    const value = (depth) => {
        if (depth > limits.maxDepth) fail('nested too deep');
        if (++items > limits.maxItems) fail('too many items');
        if (pos >= buf.length) fail('truncated');
        const c = buf[pos];
        if (c === 0x69 /* i */) {
            pos += 1;
            return readInt(0x65);
        }
        if (c >= 0x30 && c <= 0x39) {
            const length = readInt(0x3a);
            if (length < 0n || BigInt(pos) + length > BigInt(buf.length)) fail('string past the end');
            const s = buf.subarray(pos, pos + Number(length));
            pos += Number(length);
            return Buffer.from(s);
        }
        if (c === 0x6c /* l */) {
            pos += 1;
            const list = [];
            while (buf[pos] !== 0x65) list.push(value(depth + 1));
            pos += 1;
            return list;
        }
        if (c === 0x64 /* d */) {
            pos += 1;
            const dict = new Map();
            let previous = null;
            while (buf[pos] !== 0x65) {
                if (pos >= buf.length) fail('truncated dictionary');
                const keyStart = pos;
                const key = value(depth + 1);
                if (!Buffer.isBuffer(key)) {
                    pos = keyStart;
                    fail('dictionary key is not a string');
                }
                if (strict && previous && Buffer.compare(previous, key) >= 0) fail('keys not sorted');
                previous = key;
                const start = pos;
                const v = value(depth + 1);
                if (spans && depth === 0) topSpans.set(key.toString('latin1'), [start, pos]);
                dict.set(key.toString('latin1'), v);
            }
            pos += 1;
            return dict;
        }
        return fail('unexpected byte');
    };
    const result = value(0);
    if (pos !== buf.length) fail('bytes after the value');
    return spans ? { value: result, spans: topSpans } : result;
}
