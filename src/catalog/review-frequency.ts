/**
 * The interval of each review frequency of policies/controls.yaml, in days: when a review is next due. In catalog,
 * beside the policy it reads, so controls, evidence validity, packs and OSCAL share it without importing one another.
 */
export const REVIEW_INTERVAL_DAYS: Readonly<Record<string, number>> = {
  monthly: 30,
  quarterly: 91,
  semiannual: 182,
  annual: 365,
};
