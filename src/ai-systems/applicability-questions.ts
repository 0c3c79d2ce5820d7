/** Whether the GDPR reaches the system at all (Art. 3(1), 3(2)(a), 3(2)(b)). */
export const GDPR_SCOPE_FACTS = ['gdprEstablishment', 'gdprOffersToEu', 'gdprMonitorsEu'] as const;

/** What the GDPR then asks of it (Art. 4(7)-28, 7-8, 10, 35(3), 37(1), 44-49, 89: each question's basis below). */
export const GDPR_DUTY_FACTS = [
  'gdprRole',
  'gdprConsentBasis',
  'gdprCriminalData',
  'gdprPublicBody',
  'gdprLargeScaleMonitoring',
  'gdprLargeScaleSensitiveData',
  'gdprThirdCountryTransfers',
  'gdprArchivingOrResearch',
] as const;

/** The applicability facts a person answers about a system (beyond its data categories), in form order. */
export const ANSWERABLE_FACTS = [
  'hipaaRole',
  ...GDPR_SCOPE_FACTS,
  ...GDPR_DUTY_FACTS,
  'soc2Categories',
  'aiActEuNexus',
  'aiActRole',
  'aiActEstablishedInEu',
  'aiActPublicSector',
  'prohibitedPractices',
  'annexIProduct',
  'annexIIIArea',
  'annexIIIPoint',
  'art6Derogation',
  'profilesPeople',
  'transparencyTriggers',
  'gpaiModel',
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
    question:
      'Does the system serve an offer of goods or services, paid or free, to people in the EU/EEA (EU languages or currencies, delivery to the EU, marketing aimed at EU residents)?',
    hint: 'Merely being reachable from the EU is not offering.',
    basis: 'GDPR Art. 3(2)(a)',
  },
  gdprMonitorsEu: {
    label: 'Monitors behaviour of people in the EU/EEA',
    question:
      'Does the system monitor the behaviour of people while they are in the EU/EEA (tracking, profiling, behavioural advertising, location or health monitoring)?',
    basis: 'GDPR Art. 3(2)(b)',
  },
  gdprRole: {
    label: 'GDPR role',
    question:
      "For this processing, does your organisation decide why and how personal data are processed (controller), process them only on a customer's documented instructions (processor), or decide jointly with another organisation (joint controller)?",
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
    question:
      'Does the system process personal data about criminal convictions or offences, or related security measures (background checks, fraud convictions)?',
    basis: 'GDPR Art. 10',
  },
  gdprPublicBody: {
    label: 'Public authority or body',
    question:
      'Is your organisation a public authority or public body (courts acting in their judicial capacity excepted)?',
    basis: 'GDPR Art. 37(1)(a)',
  },
  gdprLargeScaleMonitoring: {
    label: 'Large-scale systematic monitoring as a core activity',
    question:
      "Do your organisation's core activities consist of processing that needs regular and systematic monitoring of people on a large scale (behavioural advertising, tracking, connected devices)?",
    basis: 'GDPR Art. 37(1)(b), 35(3)(c)',
  },
  gdprLargeScaleSensitiveData: {
    label: 'Large-scale special-category or criminal data as a core activity',
    question:
      "Do your organisation's core activities consist of processing, on a large scale, special-category data (health, genetic or biometric data, origin, beliefs, sex life) or data about criminal convictions?",
    basis: 'GDPR Art. 37(1)(c), 35(3)(b)',
  },
  gdprThirdCountryTransfers: {
    label: 'Transfers outside the EU/EEA',
    question:
      "Are personal data from this system sent to, or accessed from, a country outside the EU/EEA or an international organisation (a vendor's non-EU hosting or support included)?",
    hint: 'Data a non-EU organisation collects directly from people in the EU is not a transfer; passing it on to another non-EU party is.',
    basis: 'GDPR Art. 44-49',
  },
  gdprArchivingOrResearch: {
    label: 'Archiving, research or statistics',
    question:
      'Is any of this processing for archiving in the public interest, scientific or historical research, or statistical purposes?',
    basis: 'GDPR Art. 89',
  },
  soc2Categories: {
    label: 'SOC 2 categories',
    question:
      "Which Trust Services categories does the SOC 2 report covering this system include? Security (the common criteria) is part of every report; choose none if the system is outside the report's boundary.",
    basis: 'AICPA TSC 2017 (CC, A1, C1, PI1, P1-P8)',
  },
  aiActEuNexus: {
    label: 'EU AI Act reach',
    question:
      'Is this AI system placed on the EU market or put into service there, used by your organisation in the EU, or is its output used in the EU (also when your organisation is outside the EU)?',
    hint: 'If none of these holds, the AI Act does not reach the system.',
    basis: 'AI Act Art. 2(1)',
  },
  aiActRole: {
    label: 'AI Act role',
    question:
      'For this system, is your organisation its provider (it develops it, or has it developed, and puts it on the market or into service under its own name), a deployer (it uses it under its authority), an importer or a distributor?',
    hint: 'Providers carry the design and conformity duties (Art. 9-22, 43-49, 72-73); deployers carry Art. 26 and 27.',
    basis: 'AI Act Art. 3(3)-(7)',
  },
  aiActEstablishedInEu: {
    label: 'Established in the EU (AI Act)',
    question: 'Is your organisation established in the EU?',
    hint: 'A provider of a high-risk system established outside the EU must appoint an authorised representative in the EU.',
    basis: 'AI Act Art. 22',
  },
  aiActPublicSector: {
    label: 'Public authority or public service',
    question:
      'Is your organisation a public authority or other body governed by public law (public authority), a private organisation providing public services such as education, healthcare, social services or housing (public service), or neither?',
    hint: 'Decides the fundamental rights impact assessment (Art. 27) and registration of use by public authorities (Art. 26(8), 49(3)).',
    basis: 'AI Act Art. 26(8), 27(1), 49(3)',
  },
  prohibitedPractices: {
    label: 'Prohibited practices (Art. 5 screening)',
    question: 'Which of the practices banned by Art. 5(1) does the system perform? Answer each screening question.',
    hint: 'Any yes makes the system prohibited: it may not be placed on the market, put into service or used in the EU.',
    basis: 'AI Act Art. 5(1)(a)-(h)',
  },
  annexIProduct: {
    label: 'Annex I product',
    question:
      'Is the system a safety component of a product, or itself a product, covered by the EU harmonisation laws of Annex I (machinery, toys, medical and in vitro diagnostic devices, lifts, radio equipment, vehicles, aviation ...) that must pass a third-party conformity assessment?',
    hint: 'If so it is high-risk under Art. 6(1); its high-risk obligations apply from 2 August 2027 (Art. 113(c)).',
    basis: 'AI Act Art. 6(1), Annex I',
  },
  annexIIIArea: {
    label: 'Annex III area',
    question: 'Is the system intended for use in one of the high-risk areas of Annex III, and if so which?',
    basis: 'AI Act Art. 6(2), Annex III',
  },
  annexIIIPoint: {
    label: 'Annex III point',
    question: 'Which use of that Annex III area is it (for example 4(a): recruitment and selection of candidates)?',
    basis: 'AI Act Annex III',
  },
  art6Derogation: {
    label: 'Art. 6(3) derogation',
    question:
      'Does your organisation, as provider, rely on a condition of Art. 6(3) to treat this Annex III system as not high-risk: (a) a narrow procedural task, (b) improving the result of a completed human activity, (c) detecting decision patterns without replacing human review, (d) a preparatory task for an Annex III assessment?',
    hint: 'The assessment must be documented before market placement (Art. 6(4)) and the system registered (Art. 49(2)).',
    basis: 'AI Act Art. 6(3), 6(4)',
  },
  profilesPeople: {
    label: 'Profiles natural persons',
    question:
      'Does the system profile natural persons, i.e. evaluate personal aspects such as work performance, economic situation, health, preferences, behaviour or location?',
    hint: 'Profiling keeps an Annex III system high-risk whatever the derogation.',
    basis: 'AI Act Art. 6(3), third subparagraph; GDPR Art. 4(4)',
  },
  transparencyTriggers: {
    label: 'Art. 50 transparency triggers',
    question:
      'Which of these apply: it interacts directly with people; it generates synthetic audio, images, video or text; it recognises emotions; it categorises people by biometric data; it creates deepfakes; it writes text published to inform the public on matters of public interest?',
    basis: 'AI Act Art. 50(1)-(4)',
  },
  gpaiModel: {
    label: 'General-purpose AI model',
    question:
      'Does your organisation provide a general-purpose AI model with this system, i.e. train or place on the market under its name a model that can competently perform a wide range of distinct tasks, and is it one with systemic risk (high-impact capabilities, e.g. training compute above 10^25 FLOPs, or so designated)?',
    hint: "Using a vendor's model is not providing one.",
    basis: 'AI Act Art. 3(63), 51, 53, 55',
  },
};

/** The Art. 5(1) screening, one question in words per point. */
export const PROHIBITED_PRACTICE_QUESTIONS: Record<string, string> = {
  a: "Does it use subliminal, purposefully manipulative or deceptive techniques that materially distort people's behaviour and cause, or are reasonably likely to cause, them significant harm?",
  b: 'Does it exploit vulnerabilities of people due to their age, disability or a specific social or economic situation to distort their behaviour in a way that causes or is likely to cause significant harm?',
  c: 'Does it evaluate or classify people over time by their social behaviour or personal traits, with a social score that leads to unfair treatment in unrelated contexts or out of proportion to the behaviour?',
  d: 'Does it assess or predict the risk that a person will commit a crime based solely on profiling or on personality traits?',
  e: 'Does it create or expand facial recognition databases through untargeted scraping of face images from the internet or CCTV footage?',
  f: 'Does it infer the emotions of people at the workplace or in education, other than for medical or safety reasons?',
  g: 'Does it categorise people individually from biometric data to infer their race, political opinions, trade union membership, religious or philosophical beliefs, sex life or sexual orientation?',
  h: 'Is it used for real-time remote biometric identification of people in publicly accessible spaces for law enforcement?',
};
