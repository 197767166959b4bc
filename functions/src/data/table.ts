/**
 * The single table, defined once. The CDK data stack and the embedded local stack both build the table from
 * this object, so local and AWS never drift apart.
 */
export const TABLE = {
  /** Default name; deployments pass the real name through configuration (TABLE_NAME). */
  name: 'cityops',
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
  /** Generic GSIs: GSI1 is the sparse province index (P#<province>#…), GSI2 per-tenant work lists. */
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;

export type TableDefinition = typeof TABLE;
