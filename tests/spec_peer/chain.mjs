// The Tron side of the spec peer: the settlement transaction as docs/lane-protocol.md
// ("Settlement", "The transaction") describes it, encoded with protobufjs from the repo's proto/
// files, and the few gRPC calls a buyer needs (head block for TAPOS, balances, transaction info).
import path from 'node:path';
import crypto from 'node:crypto';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { utils } from 'tronweb';

const TRANSFER_ASSET_URL = 'type.googleapis.com/protocol.TransferAssetContract';

export class TxBuilder {
    constructor(protoDir) {
        const root = new protobuf.Root();
        root.resolvePath = (origin, target) =>
            target.startsWith('google/protobuf/') ? target : path.join(protoDir, target);
        root.loadSync(['core/Tron.proto', 'core/contract/asset_issue_contract.proto'], { keepCase: true });
        this.Raw = root.lookupType('protocol.Transaction.raw');
        this.TransferAssetContract = root.lookupType('protocol.TransferAssetContract');
    }

    // block: { number (BigInt), timestamp (ms, Number), id (32-byte Buffer) }.
    build({ asset, payer, payee, amount, block, now, key }) {
        const value = this.TransferAssetContract.encode({
            asset_name: Buffer.from(asset, 'latin1'),
            owner_address: payer,
            to_address: payee,
            amount: BigInt(amount).toString(),
        }).finish();
        const numberLow16 = Number(BigInt(block.number) & 0xffffn);
        const rawFields = {
            ref_block_bytes: Buffer.from([numberLow16 >> 8, numberLow16 & 0xff]),
            ref_block_hash: Buffer.from(block.id.subarray(8, 16)),
            expiration: block.timestamp + 60000,
            contract: [{ type: 2, parameter: { type_url: TRANSFER_ASSET_URL, value: Buffer.from(value) } }],
            timestamp: now,
        };
        const raw = Buffer.from(this.Raw.encode(rawFields).finish());
        const txid = crypto.createHash('sha256').update(raw).digest();
        const signature = Buffer.from(utils.crypto.ECKeySign(txid, Buffer.from(key, 'hex')), 'hex');
        // Transaction { raw_data = 1; repeated bytes signature = 2 }, with raw_data exactly the
        // bytes the txid was computed over.
        const tx = Buffer.from(
            protobuf.Writer.create().uint32((1 << 3) | 2).bytes(raw).uint32((2 << 3) | 2).bytes(signature).finish(),
        );
        return { tx, txid, raw, signature, value: Buffer.from(value) };
    }
}

const withDeadline = (ms) => ({ deadline: new Date(Date.now() + ms) });

export class Chain {
    constructor(endpoint, protoDir) {
        const definition = protoLoader.loadSync('api/api.proto', {
            includeDirs: [protoDir],
            keepCase: true,
            longs: String,
            enums: String,
            defaults: true,
        });
        const proto = grpc.loadPackageDefinition(definition).protocol;
        this.wallet = new proto.Wallet(endpoint, grpc.credentials.createInsecure());
    }

    call(method, request, ms = 5000) {
        return new Promise((resolve, reject) => {
            this.wallet[method](request, withDeadline(ms), (error, reply) => (error ? reject(error) : resolve(reply)));
        });
    }

    async nowBlock() {
        const b = await this.call('GetNowBlock2', {});
        const raw = b.block_header?.raw_data;
        if (!raw || !b.blockid || b.blockid.length !== 32) throw new Error('the node returned no head block');
        return { number: BigInt(raw.number), timestamp: Number(raw.timestamp), id: Buffer.from(b.blockid) };
    }

    async assetBalance(address, asset) {
        const account = await this.call('GetAccount', { address });
        const v = account.assetV2?.[asset] ?? account.asset?.[asset] ?? '0';
        return BigInt(v);
    }

    // 'in_block', 'failed' or 'unknown' (not in a block yet).
    async txStatus(txid) {
        const info = await this.call('GetTransactionInfoById', { value: txid });
        if (!info.id || info.id.length === 0 || BigInt(info.blockNumber) <= 0n) return 'unknown';
        return info.result === 'FAILED' ? 'failed' : 'in_block';
    }

    close() {
        this.wallet.close();
    }
}
