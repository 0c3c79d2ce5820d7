/** The applicability facts a person answers about a system (beyond its data categories), in form order. */
export const ANSWERABLE_FACTS = [
  'hipaaRole',
  'gdprEstablishment',
  'gdprOffersToEu',
  'gdprMonitorsEu',
  'gdprRole',
  'gdprConsentBasis',
  'gdprCriminalData',
  'gdprPublicBody',
  'gdprLargeScaleMonitoring',
  'gdprLargeScaleSensitiveData',
  'gdprThirdCountryTransfers',
  'gdprArchivingOrResearch',
  'soc2Categories',
] as const;

export type AnswerableFact = (typeof ANSWERABLE_FACTS)[number];

export interface FactQuestion {
  /** A short name for lists and tables. */
  label: string;
  question: string;
  hint?: string;
  /** The provision the answer feeds. */
  basis: string;
}

/** Each fact as a question in words: the system form, the API description and the review list all use these. */
export const APPLICABILITY_QUESTIONS: Record<AnswerableFact, FactQuestion> = {
  hipaaRole: {
    label: 'HIPAA role',
    question:
      'Is your organisation a HIPAA covered entity (a health plan, a health care clearinghouse, or a health care provider that bills or sends health information electronically) or a business associate of one (creating, receiving, keeping or sending PHI on its behalf) for this system?',
    hint: 'The Security Rule applies only to covered entities and business associates; a vendor that is neither is outside it even with health data.',
    basis: '45 CFR 160.103, 164.302',
  },
  gdprEstablishment: {
    label: 'Established in the EU/EEA',
    question:
      'Is the organisation that runs this processing (as controller or processor) established in the EU/EEA, i.e. does it have an office, branch or subsidiary there whose activities this processing is part of?',
    hint: 'If yes, the GDPR applies wherever the people concerned are.',
    basis: 'GDPR Art. 3(1)',
  },
  gdprOffersToEu: {
    label: 'Offers goods or services to people in the EU/EEA',
    question: 'Does the system serve an offer of goods or services, paid or free, to people in the EU/EEA (EU languages or currencies, delivery to the EU, marketing aimed at EU residents)?',
    hint: 'Merely being reachable from the EU is not offering.',
    basis: 'GDPR Art. 3(2)(a)',
  },
  gdprMonitorsEu: {
    label: 'Monitors behaviour of people in the EU/EEA',
    question: 'Does the system monitor the behaviour of people while they are in the EU/EEA (tracking, profiling, behavioural advertising, location or health monitoring)?',
    basis: 'GDPR Art. 3(2)(b)',
  },
  gdprRole: {
    label: 'GDPR role',
    question:
      'For this processing, does your organisation decide why and how personal data are processed (controller), process them only on a customer\'s documented instructions (processor), or decide jointly with another organisation (joint controller)?',
    hint: 'Controllers carry the data-subject rights, DPIA and breach-notification duties; processors carry Art. 28(2)-(4), 30(2) and 33(2).',
    basis: 'GDPR Art. 4(7), 4(8), 26, 28',
  },
  gdprConsentBasis: {
    label: 'Consent as a legal basis',
    question: 'Is the consent of the people concerned a legal basis for any of this processing?',
    hint: 'Consent under Art. 6(1)(a) or explicit consent under Art. 9(2)(a); contract, legal obligation or legitimate interests are other bases.',
    basis: 'GDPR Art. 7, 8(1)',
  },
  gdprCriminalData: {
    label: 'Criminal-conviction data',
    question: 'Does the system process personal data about criminal convictions or offences, or related security measures (background checks, fraud convictions)?',
    basis: 'GDPR Art. 10',
  },
  gdprPublicBody: {
    label: 'Public authority or body',
    question: 'Is your organisation a public authority or public body (courts acting in their judicial capacity excepted)?',
    basis: 'GDPR Art. 37(1)(a)',
  },
  gdprLargeScaleMonitoring: {
    label: 'Large-scale systematic monitoring as a core activity',
    question: 'Do your organisation\'s core activities consist of processing that needs regular and systematic monitoring of people on a large scale (behavioural advertising, tracking, connected devices)?',
    basis: 'GDPR Art. 37(1)(b), 35(3)(c)',
  },
  gdprLargeScaleSensitiveData: {
    label: 'Large-scale special-category or criminal data as a core activity',
    question:
      'Do your organisation\'s core activities consist of processing, on a large scale, special-category data (health, genetic or biometric data, origin, beliefs, sex life) or data about criminal convictions?',
    basis: 'GDPR Art. 37(1)(c), 35(3)(b)',
  },
  gdprThirdCountryTransfers: {
    label: 'Transfers outside the EU/EEA',
    question: 'Are personal data from this system sent to, or accessed from, a country outside the EU/EEA or an international organisation (a vendor\'s non-EU hosting or support included)?',
    hint: 'Data a non-EU organisation collects directly from people in the EU is not a transfer; passing it on to another non-EU party is.',
    basis: 'GDPR Art. 44-49',
  },
  gdprArchivingOrResearch: {
    label: 'Archiving, research or statistics',
    question: 'Is any of this processing for archiving in the public interest, scientific or historical research, or statistical purposes?',
    basis: 'GDPR Art. 89',
  },
  soc2Categories: {
    label: 'SOC 2 categories',
    question:
      'Which Trust Services categories does the SOC 2 report covering this system include? Security (the common criteria) is part of every report; choose none if the system is outside the report\'s boundary.',
    basis: 'AICPA TSC 2017 (CC, A1, C1, PI1, P1-P8)',
  },
};
