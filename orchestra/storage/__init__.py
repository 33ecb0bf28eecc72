"""Large values outside the history, through the SDK's external payload storage.

Every payload of ``storage_threshold_bytes`` or more (a step's output, a plan, a record, a query
answer) is written by a ``StorageDriver`` and the history keeps only the SDK's reference to it
(``json/protobuf`` ``temporal.api.sdk.v1.ExternalStorageReference``: driver name, claim, size). The
converter in ``orchestra.converter`` carries this configuration to every client, worker and the codec
server, so a value stored by one is read back by the others.

ORCHESTRA_STORAGE=folder (default)  files under ORCHESTRA_STORAGE_DIR (default ORCHESTRA_DATA_DIR/payloads)
ORCHESTRA_STORAGE=s3                the SDK's S3 driver (``s3.s3_driver``), bucket ORCHESTRA_S3_BUCKET
ORCHESTRA_STORAGE=off               nothing offloaded: Temporal's 2 MiB payload limit applies to every value
ORCHESTRA_STORAGE_THRESHOLD_BYTES   offload from this size on (default 32 KiB)
ORCHESTRA_STORAGE_MAX_PAYLOAD_BYTES the largest single value stored (default 50 MiB); one stored already is found, not measured again
"""
