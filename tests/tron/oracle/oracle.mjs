// TronWeb as an independent oracle for tests/tron/tron_oracle_test.cpp.
//
// Reads one JSON array of cases on stdin and writes one JSON array of answers on stdout, in the
// same order. Everything runs offline: TronWeb's constructor makes no network calls, and
// sendToken builds without a node when all four blockHeader fields are given.
//
// Each case carries a private key, so nothing here may print a case or a key: errors report the
// case index and TronWeb's message only.
import { TronWeb, Trx, utils } from 'tronweb';

const tronWeb = new TronWeb({ fullHost: 'http://127.0.0.1:1' });

const readStdin = async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
};

const lower = (hex) => (typeof hex === 'string' ? hex.toLowerCase() : hex);
const strip0x = (hex) => hex.replace(/^0x/, '');

// Lowercases every hex string TronWeb's decoder returns in upper case, so the JSON can go
// straight back into txCheck/ecRecover and compare with our lowercase output.
const normalizeRawData = (raw) => {
    const value = raw.contract[0].parameter.value;
    return {
        contract: [
            {
                parameter: {
                    value: {
                        owner_address: lower(value.owner_address),
                        to_address: lower(value.to_address),
                        asset_name: lower(value.asset_name),
                        amount: value.amount,
                    },
                    type_url: raw.contract[0].parameter.type_url,
                },
                type: raw.contract[0].type,
            },
        ],
        ref_block_bytes: lower(raw.ref_block_bytes),
        ref_block_hash: lower(raw.ref_block_hash),
        expiration: raw.expiration,
        timestamp: raw.timestamp,
    };
};

const answer = async (c) => {
    const out = {};
    // Address derivation, two independent TronWeb paths.
    out.address = TronWeb.address.fromPrivateKey(c.key);
    out.address_hex = lower(TronWeb.address.toHex(out.address));
    out.address_valid = TronWeb.isAddress(c.our_address);

    // Our raw_data, decoded by TronWeb's own protobuf decoder, re-encoded by google-protobuf.
    const decoded = utils.deserializeTx.deserializeTransaction('TransferAssetContract', c.raw_data_hex);
    out.decoded = normalizeRawData(decoded);
    const rawBytes = Buffer.from(c.raw_data_hex, 'hex');
    const reencoded = globalThis.TronWebProto.Transaction.raw.deserializeBinary(rawBytes).serializeBinary();
    out.reencoded_hex = Buffer.from(reencoded).toString('hex');
    out.txid = Buffer.from(utils.crypto.SHA256(reencoded)).toString('hex');

    // Our signed transaction: txCheck ties JSON, hex and txID together, then ecRecover.
    const ours = {
        visible: false,
        txID: c.txid,
        raw_data: out.decoded,
        raw_data_hex: c.raw_data_hex,
        signature: [c.signature],
    };
    out.tx_check = utils.transaction.txCheck(ours);
    out.recovered = out.tx_check ? Trx.ecRecover(ours) : null;

    // The same transfer built and signed by TronWeb, for the other direction.
    const built = await tronWeb.transactionBuilder.sendToken(c.to, c.amount, c.asset_id, out.address, {
        blockHeader: {
            ref_block_bytes: c.ref_block_bytes,
            ref_block_hash: c.ref_block_hash,
            expiration: c.expiration,
            timestamp: c.timestamp,
        },
    });
    out.built_raw_data_hex = built.raw_data_hex;
    out.built_txid = built.txID;
    const signed = await tronWeb.trx.sign(built, c.key);
    out.built_signature = lower(signed.signature[0]);

    // TIP-191 messages both ways.
    out.message_signer = utils.message.verifyMessage(c.message, '0x' + c.message_signature);
    out.message_signature = strip0x(utils.message.signMessage(c.message, c.key));

    // The lane protocol's signed texts (src/lanes/protocol.cpp), as a seeder using TronWeb would
    // check them.
    out.iou_signer = Trx.verifyMessageV2(c.iou_text, '0x' + c.iou_signature);
    out.proof_signer = Trx.verifyMessageV2(c.proof_text, '0x' + c.proof_signature);
    return out;
};

// Anything 64 hex digits long in a message might be a key.
const redact = (text) => String(text).replace(/(0x)?[0-9a-fA-F]{64}/g, '<redacted>');

let cases;
try {
    cases = JSON.parse(await readStdin());
} catch {
    // Node's own message quotes the text around the fault, which may be a key.
    process.stderr.write('oracle: stdin is not valid JSON\n');
    process.exit(2);
}
const answers = [];
for (const [index, c] of cases.entries()) {
    try {
        answers.push(await answer(c));
    } catch (error) {
        answers.push({ error: `case ${index}: ${redact(error.message)}` });
    }
}
process.stdout.write(JSON.stringify(answers) + '\n');
