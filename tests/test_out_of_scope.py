"""Out-of-scope replies name their rule's topic (``Answer.out_of_scope``), for the front ends to
title them; the JSON contract does not change."""

from __future__ import annotations

import pytest

from assistant.core.text import asked_apart


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("how much does medicare pay for 99213", "fees"),
        # a count of visits one named commercial payer covers is that payer's coverage
        ("How many chiropractic visits does Cigna cover?", "coverage"),
        ("Will AI replace medical coders?", "careers"),
        # how long a procedure takes, or healing after it, is clinical
        ("How long does a laceration repair take to heal?", "clinical"),
        # where a practitioner licensed in one state may see patients: licensure
        ("Can a doctor licensed in Texas see patients in Oklahoma by telehealth?", "other"),
        ("what is the reimbursement rate for J1745", "fees"),
        ("how much do medical coders make", "careers"),
        # whether something is lawful, the law it rests on and its penalties: legal advice
        ("Is charging a missed appointment fee legal or not?", "legal"),
        ("What is the legal basis for the No Surprises Act?", "legal"),
        ("When does the law allow reduced penalties for a self-disclosed overpayment?", "legal"),
        # industry statistics, not a code set's facts
        ("What percent of Americans have no health insurance?", "other"),
        ("About how many health insurance companies are there?", "other"),
        ("How many medical claims are filed each year in the US?", "other"),
        ("Is AHIMA certification worth it for a biller?", "careers"),
        ("Are there remote work options for coders?", "careers"),
        ("Does Blue Shield cover acupuncture?", "coverage"),
        ("Will Medigap pay for my hearing test?", "coverage"),
        ("How long is the waiting period for crowns under a dental plan?", "coverage"),
        ("Will our practice make more money billing telehealth visits?", "fees"),
        ("what are the symptoms of diabetes", "clinical"),
        ("Should I go to the ER for a sprained ankle?", "clinical"),
        ("Will we get paid for the flu shot?", "coverage"),
        ("Which insurers usually cover acupuncture?", "coverage"),
        ("how do I know if Medicaid would pay for a breast pump", "coverage"),
        ("Can a hospital facility fee be avoided?", "fees"),
        ("How do I request a copy of my itemized bill?", "own-coverage"),
        ("should i take ibuprofen for my back", "clinical"),
        ("why was my claim denied", "claims"),
        ("Why do doctors charge more than Medicare pays?", "fees"),
        ("Why isn't my laboratory test being paid for by Medicare?", "claims"),
        ("Is it $100 for 99213?", "fees"),
        ("How Much Does a 99213 Visit Actually Cost?", "fees"),
        ("What is the maximum amount my plan will reimburse for code 90837?", "fees"),
        ("Will my insurance company reimburse me if I rent a wound vac?", "own-coverage"),
        ("will my aetna plan pay for a walker", "own-coverage"),
        ("what is my deductible this year", "own-coverage"),
        ("How much is 99213 billed for?", "fees"),
        ("where can I get a flu shot", "clinical"),
        ("What percentage do coding consultants charge?", "fees"),
        ("Can I use my insurance at an urgent care out of state?", "own-coverage"),
        ("What does this code on my EOB mean for what I owe?", "own-coverage"),
        ("Where can I find my CPT codes from last week's visit?", "own-coverage"),
        ("Can I reverse the effects of high blood pressure?", "clinical"),
        ("Which is the best coding tool for a small practice?", "products"),
        # what a drug does for a patient, not how it is billed
        ("how long does a toradol shot last", "clinical"),
        ("what is the usual dose of kenalog for a knee", "clinical"),
        ("can I take ibuprofen with my blood pressure pills", "clinical"),
        ("can I give ketorolac to a patient with kidney disease", "clinical"),
        ("can I sleep with my walking boot on", "clinical"),
        ("is it normal to get side effects after a flu shot", "clinical"),
        ("why is my wheelchair delivery on hold", "own-coverage"),
        ("what percentage of collections do billing services usually take", "legal"),
        ("how do I merge two patient charts in our system", "legal"),
        ("do clinics offer payment plans for large balances", "legal"),
        ("can I get a flu shot the same week as my covid booster", "clinical"),
        ("how can I check whether my insurance covers a cpap", "own-coverage"),
        ("does my policy cover physical therapy for my son", "own-coverage"),
        ("can my plan deny my coverage after surgery", "own-coverage"),
        ("how much do hospitalist doctors make", "careers"),
        ("which coding specialty is the highest paid", "careers"),
        ("how long should my mother wait between knee injections", "clinical"),
        ("how much ibuprofen should a child with a fever take", "clinical"),
        ("how long can you have to get stitches after a cut", "clinical"),
        ("I wonder whether Medicare will cover an MRI of the knee", "coverage"),
        ("I just got an ambulance bill I can't pay, what can I do", "own-coverage"),
        ("what is the usual starting dose of prednisone", "clinical"),
        ("the radiologist was out of network. do I have to pay?", "own-coverage"),
        ("how do I maintain my certification after the exam", "careers"),
        ("is medicare part b free", "enrollment"),
        ("what causes a high white blood cell count", "clinical"),
        ("how can my father get a hospital bed through medicare", "coverage"),
        ("do coders need liability insurance", "careers"),
        ("my knee is swollen, should I go to urgent care or the ER?", "clinical"),
        ("how often can a patient get cortisone shots in the same knee", "clinical"),
        ("what is the best injection for arthritis in the knee", "clinical"),
        ("why was my CT scan denied by my insurance?", "claims"),
        ("how many questions are on the CPT exam", "careers"),
        ("can a practice charge different amounts for the same code?", "fees"),
        ("whats the reimbursement on a 20610 with aetna", "fees"),
        ("my dad's medicare plan sent a letter, will they pay for his walker?", "own-coverage"),
        ("if they remove a polyp during my screening do I still owe anything", "own-coverage"),
        ("our claim was rejected by the clearinghouse, what went wrong", "claims"),
        ("what does a medical biller actually do", "careers"),
        ("is it ok to take tylenol after a flu shot", "clinical"),
        ("which ehr is best for a small pediatric office", "products"),
        ("how do I avoid the part d late enrollment penalty", "enrollment"),
        ("do we need a lawyer to answer a records request from an attorney", "legal"),
        (
            "can we keep billing Cigna for her visits while she waits to be credentialed?",
            "coverage",
        ),
        ("can an employer take back a bonus from an employee", "legal"),
        ("what needle gauge is used for an intramuscular injection", "clinical"),
        ("what does a certified coding specialist do", "careers"),
        ("How to become a reimbursement specialist?", "careers"),
        ("Is a sealant safe for children?", "clinical"),  # whether a treatment is safe
        ("why is my knee brace not covered by my plan?", "own-coverage"),  # one's own plan
        ("how can I become an auditor", "careers"),
        ("What is a pediatric coder?", "careers"),
        ("how much medicare pays for 99213", "fees"),
        ("Did Medicare fees decrease in 2025?", "fees"),
        ("is 120% of medicare a fair rate for 99214", "fees"),
        # who may enroll, when, and premiums: the law and Social Security, not the code sets
        ("what is the allowed amount for 99214 under Aetna", "fees"),  # a fee term of a code
        ("When can I enroll in Medicare?", "enrollment"),
        ("What is the penalty for late Medicare enrollment?", "enrollment"),
        ("What will the Medicare Part B premium be next year?", "enrollment"),
        # one's own plan: its documents decide, never a national rule
        (
            "my health plan booklet lists preventive care with no copay; should I owe anything?",
            "own-coverage",
        ),
        ("will AI replace medical billers in the next ten years", "careers"),
        ("is it safe to take two allergy pills a day", "clinical"),
        ("is it recommended to give iron injections every week", "clinical"),
        ("how many wRVUs is 99215", "fees"),
        ("which federal matching rate applies to our state's vaccine payments", "fees"),
        ("how does the sequestration cut change what we are paid", "fees"),
        ("what is it like to have Medicare as your primary insurance for a walker", "own-coverage"),
        ("what do I do if I missed a dose of my antibiotic", "clinical"),
        ("how long must my daughter wait after a steroid shot to get a flu shot", "clinical"),
        # what one's own care cost, price files and prices looked up are amounts
        ("why did my knee x-ray cost so much?", "fees"),
        ("what's the average cost of an MRI without insurance?", "fees"),
        ("what does a hip replacement cost?", "fees"),
        # a patient asking what they will owe or need for their own care
        ("will I be responsible for the anesthesia fees?", "own-coverage"),
        ("should my blood test be free?", "own-coverage"),
        ("do I need prior authorization to see a cardiologist?", "own-coverage"),
        ("am I responsible for paying what the plan did not?", "own-coverage"),  # phrase in cue
        ("should I get my hip replaced this year?", "clinical"),  # a decision about one's care
        # whether one payer wants authorization, and a plan's benefit maximums, are the plan's
        ("Does a POS 11 visit require prior authorization?", "coverage"),
        ("does the crown come out of my annual maximum?", "own-coverage"),
        ("What does a denial management specialist do?", "careers"),  # a job's duties
        ("where is the hospital's standard charges price file?", "fees"),
        # "FFS" said of the fee schedules does not make an amount a term
        ("is the sequestration cut applied to the FFS fee schedule amounts?", "fees"),
        # biller against coder, and licences for coders, are career questions
        ("what's the difference between a medical coder and biller?", "careers"),
        ("do I need a coding license in Florida?", "careers"),
        ("do I have out-of-network benefits for physical therapy?", "own-coverage"),
        # the route or the dose of a drug for a person is a clinical question
        ("Should ketorolac go in subcutaneously or intramuscularly?", "clinical"),
        ("which cyanocobalamin dose is right for an adult?", "clinical"),
        # what a drug is, named by its salt, is a question for a clinician or a label
        ("What is ondansetron hydrochloride?", "clinical"),
        ("what is testosterone cypionate", "clinical"),
        # a dose worked out for giving, or how fast a route acts, is pharmacology
        ("the vial holds 80 mg in 2 mL: how many mL do I draw up for 40 mg?", "clinical"),
        ("which injection route has the slowest onset of action?", "clinical"),
        (
            "is it acceptable to give two doses of ketorolac the same evening for back pain",
            "clinical",
        ),
        # a plan of one's own, named, or shopped for
        ("will my Aetna pay for a sleep study next month", "own-coverage"),
        ("should I pick a silver plan or a gold plan next year", "own-coverage"),
        ("do we need prior authorization from the plan for a knee MRI", "coverage"),
        # how many RVUs a service gets, or a judgement of the number, is an amount
        ("how many relative value units does a new patient visit get", "fees"),
        ("what are the relative value units for a cataract surgery", "fees"),
        ("is 5,000 a good RVU number for a year", "fees"),
        ("how much more does Medicare pay with modifier 22?", "fees"),
        # why one's charges are cut is about amounts, asked after a story of amounts
        (
            "You pay less than the fee schedule for my lab tests. Why are our charges being cut?",
            "fees",
        ),
        # Medicare's prices for Part B drugs and vaccines are its payment allowances
        ("what is this season's Part B payment allowance for the flu vaccine", "fees"),
        # which of two treatments is better is a clinician's call
        ("steroid shot or gel shot for a sore knee: which is better?", "clinical"),
        # the charges of a claim worked through to what the patient owes
        (
            "Deductible met, 80-20 coinsurance. CPT 99213: usual charge $100, allowed charge $89. "
            "How do you work it out?",
            "fees",
        ),
        # what staff may lawfully do, and legal or ethical risk, are for counsel and the boards
        (
            "Do medical assistants under an NP have the same scope of practice as under a PA? "
            "Is that legally accurate?",
            "legal",
        ),
        ("what are the legal ramifications of letting the front desk triage patients", "legal"),
        # what coders are paid by the hour is a career question
        ("what are the hourly wages of coders in Texas?", "careers"),
        # when to test, and how long one is contagious, are health questions
        ("when should I take a flu test after being exposed?", "clinical"),
        ("how many days is someone with strep contagious?", "clinical"),
        ("can the flu be passed from person to person?", "clinical"),  # how a disease spreads
        # which licensed staff may give a shot is scope of practice
        ("can an LPN give vaccines in our clinic?", "legal"),
        # the largest dose for a child is a clinician's question
        ("what is the max dose of ondansetron for a child?", "clinical"),
        # which plans pay for a service, or whether payers usually do, is the payers' to say
        ("which Medicare Advantage plans cover hearing aids?", "coverage"),
        ("is it common for insurers to pay for custom orthotics?", "coverage"),
        # which insurance company or third-party payer does something is the payers' to say
        ("which insurance carrier pays only two units of 97110?", "coverage"),
        ("what third party payers want a signed plan of care first?", "coverage"),
        ("how many chiropractic visits are allowed if you have Medicare?", "own-coverage"),
        # where to buy equipment is a shopping question
        ("where can I purchase a shower chair from a Medicare supplier?", "products"),
        # a bill of one's own, and a practice's pricing
        ("I got a bill for the biopsy after my screening. What can I do?", "own-coverage"),
        ("should we charge different prices for self-pay patients?", "fees"),
        # whether one should be vaccinated is a clinician's call; whether it covers me, my plan's
        ("should I get the RSV vaccine this year?", "clinical"),
        ("I have Part A only. Will that cover me at your clinic?", "own-coverage"),
        # how a kind of code is paid, repriced or turned into revenue, and a practice's own
        # price list, are payment questions
        ("how are Category III codes reimbursed by commercial payers?", "fees"),
        ("who reprices out-of-network claims for HCPCS codes?", "fees"),
        ("how should a new clinic set up a fee schedule for our practice?", "fees"),
        ("is the hospital's fee higher than the surgeon's fee for a knee scope?", "fees"),
        # an exam's passing standard is a career question; why a plan would deny a treatment
        # is the plan's to say
        ("what is the passing standard for the CPC exam?", "careers"),
        ("why would a health plan deny physical therapy treatment?", "coverage"),
        ("why would an insurer deny proton therapy?", "coverage"),
        # one's own benefits stay one's own plan's question when a code is named
        ("Do I have out-of-network benefits for CPT code 90837?", "own-coverage"),
        # a dose converted between drugs, whether to go on with a treatment: a clinician's call
        ("what is the equivalent of 40 mg of prednisone in dexamethasone", "clinical"),
        ("should the patient keep taking iron tablets now that her labs are normal", "clinical"),
        ("is zoom hipaa compliant", "legal"),
        ("why did I get a bill from the anesthesiologist", "own-coverage"),
        ("why won't my plan cover my lab bill from March?", "own-coverage"),
        ("how can I get a hospital bed at home", "products"),
        ("how long does it take to learn CPT coding", "careers"),
        ("do you have to go to school to become a medical biller", "careers"),
        ("what is the cost of a knee MRI", "fees"),
        # spreadsheets, no-show rates, a missed enrollment deadline, a dose to give
        ("how do I make a pivot table of my denials in excel", "legal"),
        ("how can we reduce our no show rate", "legal"),
        ("I missed the enrollment deadline for Part B, what happens now", "enrollment"),
        ("how many mg of ketorolac should be given for back pain", "clinical"),
        ("at what age should I get screened for prostate cancer", "clinical"),
        ("why is a steroid shot better than physical therapy", "clinical"),
        ("how long does a burn take to heal after a skin graft", "clinical"),
        # what to do about payers that deny: the payer's appeals, not the code set
        (
            "Some insurers that denied our modifier 25 lines won't reprocess them. Options?",
            "claims",
        ),
        # one's own bill, a job interview's question, what a product does
        ("Why am I getting a bill for my annual checkup?", "own-coverage"),
        ("Should I be charged for a visit the doctor never came to?", "own-coverage"),
        ("How would you handle a situation where a payer keeps denying a claim?", "careers"),
        # what a job does, wherever it is done
        ("What does a billing specialist do in healthcare?", "careers"),
        ("What do coders do in a hospital?", "careers"),
        ("Can EHR software automatically assign the CPT codes?", "products"),
        ("Why is my CT scan so expensive?", "fees"),
        ("Why is my hospital bill so high?", "own-coverage"),
        # a coding credential's name, and one credential against another
        ("What does AAPC stand for?", "careers"),
        ("Which is better, CPC or CCS?", "careers"),
        # a dose for a person, with no billing word
        ("What is the dosage of amoxicillin for a child?", "clinical"),
        # a practice's own prices for cash or self-pay patients
        ("May we give uninsured patients a discount off our usual fees?", "fees"),
        ("Is it okay to bill a self-pay patient less than our insured patients?", "fees"),
        # a payment asked for with no code or service named
        ("How would we get reimbursed for that?", "fees"),
        # running a practice: productivity targets, write-off habits, talking fees over
        ("How many charts per day is a reasonable target for an inpatient coder?", "legal"),
        ("When do you usually write off an old patient balance?", "legal"),
        # lawsuits, and whether one's own paperwork satisfies a law
        ("Where do the lawsuits over the price transparency rule stand?", "legal"),
        ("Are we required to hire a translator for a patient who speaks only Spanish?", "legal"),
        ("Can I have an old diagnosis removed from my chart?", "legal"),
        # one's own statements and bills
        ("Will I get a bill after my child's checkup?", "own-coverage"),
        ("Why did I receive a surprise bill from the anesthesiologist?", "own-coverage"),
        ("Is a mammogram covered in full if they find something?", "coverage"),
        # schooling for the field, and diagnostic criteria of a disorder
        ("Do I need to attend school to become a biller or can I learn on the job?", "careers"),
        ("What are the diagnostic criteria for major depressive disorder?", "clinical"),
    ],
)
def test_an_out_of_scope_fallback_names_its_topic(assistant_, question, topic):
    reply = assistant_.answer(question)
    assert reply.kind == "fallback"
    assert reply.out_of_scope == topic
    assert "out_of_scope" not in reply.to_dict()


@pytest.mark.parametrize(
    "question",
    [
        "what are j codes?",
        "what is the weather today",
        # an RVU's parts, malpractice among them, are the fee schedule's method, not a fee
        "Which RVU component covers malpractice costs?",
        # a payment model set beside fee-for-service is a comparison, not a fee asked for
        "Isn't risk adjustment just like fee-for-service, except it uses diagnosis codes?",
        # one code set replacing another is no question about coders' jobs
        "Will ICD-10 replace CPT coding?",
        # an employer named among who uses an identifier is no employment question
        "Which identifier do providers, health plans and employers use on HIPAA transactions?",
        "V5266",
        "What steps should I take if Medicare will only cover a semi-electric bed?",
        # coverage, or a licence, told in the story of a question on how to code or bill
        "Only patients whose insurance will cover it are seen. How should this be coded?",
        "Can a state licensed audiologist bill Medicare for cerumen removal?",
        # how long a global period lasts is a billing rule, however it is asked
        "How long does the global period last after a laceration repair?",
        # a quiz statement to judge on what licensure allows is a rule, asked as a quiz
        "Determine whether the statement is true or false: state licensure lets a nurse"
        " practitioner order home health services.",
        "Why does my claim deny as a duplicate?",
        "Can a PA write a prescription for a power mobility device?",
        "Why does my Cologuard\u2122 test claim need a modifier?",
        # a sum in the story of a question that asks for a code
        "The nursing home owes us about $ 3K. What place of service code should we use?",
        "how much time do I need to document to get paid for 99214",
        # covering for another physician (reciprocal billing) is not insurance coverage
        "Another physician provides coverage for me when I am away. Can he bill my patients?",
        # a worker's injury on the job is workers' compensation, not a career question
        "An injury that keeps a worker from the regular functions of his job is known as a",
        # a test question on how insurance works for everyone, not one person's coverage
        "Which term describes the share of the allowed amount the patient pays after the "
        "deductible is met?",
        "Medicare pays ___ of the approved amount after the deductible is met: a) 50 b) 80",
        # a form to get is no clinical question
        "What is an ABN, and where can I get the form?",
        # two terms compared, and the conversion factor, are terms
        "what is the difference between a copay and coinsurance?",
        "what is the Medicare conversion factor?",
        "what is fee for service?",
        # a refund a payer asks for is a billing question
        "The payer wants money back for 97140 it paid last year. Do I have to pay this back?",
        "what goes in the dollar amount column 24F of the 1500 form",
        "Is it legal to bill 99214 and 99213 for the same patient on the same day?",
        "What is the tax ID number in box 25 of the CMS-1500?",
        "The child is covered under both parents' plans. Under the birthday rule, which plan is "
        "primary?",
        "My mom has diabetes. What is the ICD-10 code for type 2 diabetes?",
        # a nurse's injection asked about with its billing is a billing question
        "Can the nurse give the B12 injection and bill 96372?",
        # the code of a drug named by its salt is a billing question
        "What is the HCPCS code for ondansetron hydrochloride?",
        # what a modifier is, asked "for reimbursement", is a question about the modifier
        "What is the JZ modifier for reimbursement purposes?",
        # the usual reasons a code is denied are billing rules, not one claim's denial
        "What are the most common reasons claims for 99214 get denied?",
        # the estimate an ABN must give is a rule of the notice, not a fee
        "how close to the real cost must the estimate on an ABN be, and how much can it differ?",
        # the legal side of billing itself is a compliance rule the knowledge explains
        "what are the legal consequences of billing 99215 for every visit?",
        # the wage index is part of how a payment is worked out, not anyone's wages
        "how does the wage index change the APC payment?",
        # what an RVU is made of is a term, however it is written
        "What Are the Three Components of Rvus?",
        "What are the components of a relative value unit?",
        # how to use the modifiers that trigger a payment reduction is a modifier question
        "what are the rules on the use of modifiers for the 340B payment reduction?",
        # what the global obstetric fee covers is a packaging rule, not a fee or coverage
        "Which services are covered by the global fee for routine obstetric care?",
        # how Medicare pays (its payment method) is a rule, not an amount
        "what is the payment methodology Medicare uses for services billed with CPT codes?",
        # a clinical nurse specialist is a provider type, not a coder's certification
        "Can a certified nurse specialist bill 99214 on time like a nurse practitioner?",
        # what a modifier does to the payment is a rule of the modifier, not a fee
        "how much does modifier 51 reduce the payment?",
        # getting a claim, a number or a form is billing work, not shopping
        "how can I get a denied claim reprocessed?",
        "how do I get a PTAN for a new provider?",
        "why is modifier XS better than 59 for separate sites?",
        # a visit whose timing counts from Part B enrollment is a billing rule
        "Can the welcome to Medicare visit be billed 14 months after Part B enrollment?",
        # an employer's size under the Medicare Secondary Payer rules decides who pays first
        "How many employees must an employer have for the Medicare Secondary Payer rules?",
        # what a cost-sharing term means is a term
        "what does coinsurance mean",
        "how long does it take to learn whether a claim was paid?",
        # how to get paid for two procedures is how to bill them, not an amount
        "How can we get reimbursement for procedures on both shoulders the same day?",
        # the words of medical decision making are coding words, not a patient's prescription
        "For MDM, my prescription focus is one diagnosis: can I count the comorbidities?",
        # taking something into account is no medicine taken
        "When estimating the complexity, can I take into account all the comorbid disorders?",
        # compensation for a service is payment for it, not a coder's pay
        "Is there a code that brings compensation for providing care on a Sunday?",
        # Medicare's screening benefits are national rules the knowledge base states
        "Does Medicare pay for screening mammograms?",
        # which of Medicare's benefits covers a thing is a national rule, not one plan's
        "Is the shingles vaccine covered under Medicare Part B or Part D?",
        "Is hospice covered under Part A or Part B?",
        # software named as where a form is kept, and charges that follow a rule
        "What is a superbill in billing software?",
        "Can a patient be charged the full amount if the claim is denied?",
        # a question for the term is no legal question, whoever's plans it is about
        "Someone has dental coverage through an employer and a spouse's plan. The term is?",
        # a question for the law's term is no legal advice
        "Which of the following is known as the legal basis of HIPAA's code set rule? a. ACA b. HIPAA",
        # a count asked about codes is no industry statistic
        "How many claims are filed per year with modifier 25?",
        # whether a kind of provider may be paid at all is a billing rule, not an amount
        "May physical therapists receive reimbursement for services billed incident to?",
        "What do OPPS status indicators mean for payment?",
        # a code becoming valid, and a coder's question about a code, are no careers
        "How does a new code become active?",
        # whether a billing practice is safe is a billing question
        "Is it safe to bill 99214 with 99396 on the same day?",
        "What is a coder supposed to report for a bilateral procedure?",
        # the same topics asked as billing rules stay answered
        "Can we bill a Medicare patient more than the limiting charge?",
        "Do we have to give a good faith estimate to self-pay patients?",
        "Why did I get two separate bills for one emergency room visit?",
        "Is a screening colonoscopy covered in full by Medicare when a polyp is removed?",
        "What reimbursement should we expect when using the global period modifiers 58, 79 and 78?",
        # a clinical word in the story, a question about being paid for the work
        "The doctor spent 15 minutes on the phone calming a patient with painful swelling. Can we "
        "be reimbursed for that time?",
    ],
)
def test_other_replies_have_no_out_of_scope_topic(assistant_, question):
    assert assistant_.answer(question).out_of_scope is None


def test_the_questions_in_scope_of_a_two_part_question_are_answered(assistant_):
    """One question in scope and one asking for a fee: the first is answered, not offered as
    certain, and the refusal of the second follows it."""
    alone = assistant_.answer("What does modifier 50 mean?")
    reply = assistant_.answer(
        "What does modifier 50 mean? And how much more does Medicare pay when it is used?"
    )
    fee = assistant_.answer("How much more does Medicare pay when modifier 50 is used?")
    assert fee.kind == "fallback" and fee.out_of_scope == "fees"
    assert reply.kind != "fallback"
    assert reply.entry_id == alone.entry_id
    assert reply.confidence == "uncertain"
    assert reply.body.startswith(alone.body)
    assert reply.body.endswith(fee.body)


def test_a_second_question_joined_by_and_is_taken_apart(assistant_):
    """ "What is X, and why does it cost so much?" is two questions in one sentence: the first
    is answered as it is alone, and the refusal of the second follows."""
    alone = assistant_.answer("What does modifier 50 mean?")
    reply = assistant_.answer("What does modifier 50 mean, and why does it cost so much?")
    fee = assistant_.answer("Why does it cost so much?")
    assert fee.kind == "fallback" and fee.out_of_scope == "fees"
    assert reply.kind != "fallback" and reply.entry_id == alone.entry_id
    assert reply.body.startswith(alone.body) and reply.body.endswith(fee.body)
    # (joined by "and" without a comma, or before no question word, it stays one question)
    assert assistant_.answer("What does modifier 50 mean and why does it cost so much?").kind == (
        "fallback"
    )


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("What is a J code, and why is it used?", ["What is a J code?", "why is it used?"]),
        ("What is a J code, and a G code?", ["What is a J code, and a G code?"]),
        ("Is 99213 billable, and how many units?", ["Is 99213 billable?", "how many units?"]),
    ],
)
def test_questions_joined_by_and_before_a_question_word_are_two(text, parts):
    assert asked_apart([text]) == parts


@pytest.mark.parametrize(
    "question",
    [
        # the first asks for an amount, and the next leans on it
        "How much does Medicare pay for 99213? And how much for 99214?",
        # one question, after a sentence that is not one
        "I bill 99213 a lot. How much does Medicare pay for it?",
    ],
)
def test_a_text_whose_first_question_is_out_of_scope_stays_refused(assistant_, question):
    assert assistant_.answer(question).kind == "fallback"


def test_questions_in_scope_inside_an_out_of_scope_story_are_answered(assistant_):
    """The exam is only the story: the question itself is about a CPT symbol, and it is
    answered as it is without the story; one that names only a broad topic is answered as
    possibly what was meant."""
    reply = assistant_.answer(
        "I'm studying for the CPC exam. What does the plus sign before a CPT code mean?"
    )
    plain = assistant_.answer("What does the plus sign before a CPT code mean?")
    assert reply.kind != "fallback" and reply.out_of_scope is None
    assert (reply.entry_id, reply.confidence) == (plain.entry_id, plain.confidence)
    assert plain.entry_id == "cpt-add-on-codes"
    broad = assistant_.answer("I'm studying for the CPC exam. What does CPT mean?")
    assert broad.kind != "fallback" and broad.confidence == "uncertain"


@pytest.mark.parametrize(
    "question",
    [
        "I'm studying for the CPC exam. How long is it?",  # the question alone says nothing
        "How much do coders earn? Where do I sign up?",  # questions alone, refused as a whole
        # the question names no topic of its own: it asks about the story's own plan
        "I am confused about the booklet of my health insurance plan. Should there be a charge?",
    ],
)
def test_a_story_refused_with_questions_that_say_nothing_stays_refused(assistant_, question):
    assert assistant_.answer(question).kind == "fallback"


@pytest.mark.parametrize(
    "question",
    [
        "How do dentists enroll in Medicare?",
        "how does a DME supplier enroll in medicare",
        "Can an opioid treatment program with provisional certification enroll in Medicare?",
    ],
)
def test_a_provider_enrolling_is_a_billing_question(assistant_, question):
    assert assistant_.answer(question).kind != "fallback"


def test_a_fee_term_asked_as_a_term_is_answered(assistant_):
    assert assistant_.answer("what is the allowed amount?").kind == "answer"


def test_a_payment_term_offered_with_amounts_asks_for_an_amount(assistant_):
    assert assistant_.answer("What was the anesthesia conversion factor in 2019?").kind == "answer"
    reply = assistant_.answer(
        "What was the anesthesia conversion factor in 2019? $22.27 $21.95 $23.50"
    )
    assert reply.kind == "fallback" and reply.out_of_scope == "fees"
    # Sums offered for a rule that is no payment are no fee question.
    rule = assistant_.answer(
        "Which dollar threshold applies before a MAC recovers an overpayment? A. $5 B. $10 C. $25"
    )
    assert rule.kind == "answer"


@pytest.mark.parametrize(
    "question",
    [
        "why is the payment rate for an office setting higher than for a hospital?",
        "why does Medicare pay a lower price for 99213 in a hospital?",
    ],
)
def test_why_a_payment_is_what_it_is_asks_for_a_reason_not_an_amount(assistant_, question):
    reply = assistant_.answer(question)
    assert reply.kind == "answer" and reply.out_of_scope is None
    assert "facility" in reply.markdown.lower()


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        ("How are CAH reimbursed?", False),  # how a kind of provider is paid: cost, PPS
        ("How are FQHCs reimbursed?", False),
        ("How is this service reimbursed?", True),  # what a service is paid: an amount
        ("How is CPT 99213 reimbursed?", True),
    ],
)
def test_how_a_kind_of_provider_is_paid_is_a_rule(assistant_, question, refused):
    reply = assistant_.answer(question)
    assert (reply.out_of_scope == "fees") is refused
    assert (reply.kind == "fallback") is refused


@pytest.mark.parametrize(
    "question",
    [
        "What is an RVU?",
        "what are work relative value units",
        "which components make up the relative value units of a service?",
        "what does RVU stand for?",
    ],
)
def test_what_relative_value_units_are_is_answered(assistant_, question):
    """What an RVU is and what it is made of are terms; how many a service gets is an amount
    (see the fees cases above)."""
    reply = assistant_.answer(question)
    assert reply.kind == "answer" and reply.out_of_scope is None
    assert "relative value" in reply.markdown.lower()


def test_payment_told_in_the_story_is_no_fee_question(assistant_):
    """A fee question asks for an amount in a sentence that asks; reimbursement mentioned in
    the story around a question on coding is not one."""
    reply = assistant_.answer(
        "We bill chest x-rays without a modifier when our doctor only reads them. Lately we "
        "get reimbursement for the whole study. What is going on?"
    )
    assert reply.kind != "fallback" and reply.out_of_scope is None


@pytest.mark.parametrize(
    "question",
    [
        "Our reimbursement for 97110 dropped. How much does Medicare pay for it now?",
        "Medicare paid $80 for 99213 last year. Is that right?",  # a sum in the story
    ],
)
def test_a_fee_asked_after_a_story_is_still_refused(assistant_, question):
    assert assistant_.answer(question).kind == "fallback"


def test_a_cue_is_matched_as_the_question_is_read(assistant_):
    """The words table reads "insurance" as "payer" and "administer" as "maintain"; cues
    written with the words people use still match ("my health insurance", "is it
    recommended to administer")."""
    assert assistant_.answer("Does my health insurance cover a walker?").out_of_scope == (
        "own-coverage"
    )
    reply = assistant_.answer("Is it recommended to administer iron injections weekly?")
    assert reply.out_of_scope == "clinical"


def test_a_cue_written_with_non_apart_matches_the_word_read_whole(assistant_):
    """ "non" is read as one word with the word after it in a question ("non-covered" reads
    "noncovered"), and so in a cue: billing a patient for a noncovered service is a billing
    question, however the writer spells it."""
    cues = [c.text for rule in assistant_.lexicon.scope for c in (*rule.cues, *rule.unless)]
    assert not [c for c in cues if "non" in c.split()]
    for question in (
        "Can we bill the patient for non-covered services?",
        "Can we bill the patient for noncovered services?",
    ):
        reply = assistant_.answer(question)
        assert reply.out_of_scope is None and reply.kind == "answer", question


@pytest.mark.parametrize(
    ("question", "refused"),
    [
        # what two things on one's bill differ in is a definition
        ("What is the difference between an observation and inpatient category on my bill?", None),
        # whether one's plan covers a difference is still the plan's question
        ("Does my plan cover the difference between the two lenses?", "own-coverage"),
        # whether waiving a patient's share is lawful is the OIG's published rule
        ("Is it legal to waive a copay for a friend?", None),
        ("Is it legal to record a phone call with a patient?", "legal"),
        # refunding a patient's share is a billing rule, not the plan's coverage
        ("When do we refund the patient's copayment and deductible?", None),
        # a quiz question on the term for something clinical asks a term, not advice
        (
            "Which term refers to a state in which the symptoms of a substance use disorder "
            "are reduced or absent?",
            None,
        ),
        ("What are the symptoms of diabetes?", "clinical"),
        # how a treatment helps, evidence-based strategies: clinical; a practice's growth: business
        ("How does acupuncture help chronic low back pain?", "clinical"),
        ("What are evidence-based treatment options for migraine?", "clinical"),
        ("How will adding sleep testing benefit our practice?", "legal"),
        ("How does modifier 25 help with payment?", None),
        # one's own medical bill, forcing a provider, who may be trained to give a shot
        ("What happens if you overpay a medical bill?", "own-coverage"),
        ("How can I force the hospital to resubmit to Medicaid?", "legal"),
        ("Can a certified technician get trained to give immunizations?", "legal"),
        ("Can a medical assistant be trained to give injections and bill 96372?", None),
        # a payment policy asked for is a rule; how much is paid under it is still a fee
        ("What is the payment policy for a premium intraocular lens in an ASC?", None),
        ("How much does Medicare pay for 99214 under its payment policy?", "fees"),
    ],
)
def test_a_rule_asked_in_the_words_of_a_refused_topic_is_answered(assistant_, question, refused):
    assert assistant_.answer(question).out_of_scope == refused


def test_a_claim_rejected_for_a_reason_named_is_a_question_about_that_rule(assistant_):
    """ "Why was my claim denied?" is the payer's to say; a rejection for a missing or invalid
    item the question names asks what the rule on that item is."""
    reply = assistant_.answer("Why was my claim rejected for an invalid rendering NPI?")
    assert reply.kind == "answer" and reply.out_of_scope is None
    assert assistant_.answer("why was my claim denied").out_of_scope == "claims"


def test_a_coding_question_told_around_an_exam_is_answered(assistant_):
    """The exam is the story; when to assign two modifiers is what is asked."""
    reply = assistant_.answer(
        "My CPC exam is next month and I still mix up when to assign modifiers 26 and TC."
    )
    assert reply.out_of_scope is None and reply.kind != "fallback"
    assert assistant_.answer("how do I pass the CPC exam").out_of_scope == "careers"


@pytest.mark.parametrize(
    "question",
    [
        # a sum that is a rule's threshold, not a price
        "What is this $3,000.00 targeted medical review threshold?",
        "When a patient reaches the therapy cap of $2,010, is an ABN required?",
        # a sum said as a bound ("above $2010") is the limit a rule turns on
        "Must I append the KX modifier to outpatient therapy services provided above $2010?",
    ],
)
def test_a_threshold_in_dollars_is_a_rule_not_a_fee(assistant_, question):
    reply = assistant_.answer(question)
    assert reply.kind != "fallback"
    assert reply.out_of_scope is None


@pytest.mark.parametrize(
    "question",
    ["Is $150 for a 99213 normal?", "We charge $200 for 99214, is that right?"],
)
def test_a_sum_that_is_no_bound_is_still_a_fee(assistant_, question):
    assert assistant_.answer(question).out_of_scope == "fees"


def test_what_a_payer_pays_a_kind_of_provider_for_asks_which_services(assistant_):
    """ "What does Medicare pay chiropractors for?" asks what is covered, not an amount."""
    assert assistant_.answer("What does Medicare pay chiropractors for?").out_of_scope != "fees"
    assert assistant_.answer("what does medicare pay for 99213").out_of_scope == "fees"


def test_getting_medicare_to_pay_a_claim_is_no_enrollment_question(assistant_):
    """ "to get Medicare" is an enrollment cue, but "to get Medicare to pay my claim" asks how
    to have a claim paid."""
    reply = assistant_.answer(
        "My claim was rejected because it was not submitted timely. What can I do to get "
        "Medicare to pay my claim?"
    )
    assert reply.out_of_scope != "enrollment"
    assert assistant_.answer("How do I get Medicare when I turn 65?").out_of_scope == "enrollment"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # how a device works, its risks, whether a patient needs a test: the clinician's
        ("How does a CPAP machine work?", "clinical"),
        ("What are the common risks and complications?", "clinical"),
        ("Do I need a sleep study to get a CPAP?", "clinical"),
        ("Is it dangerous?", "clinical"),
        # which services a payer exempts from prior authorization is the payer's
        ("Which procedures do not require prior authorization?", "coverage"),
        # the same words beside billing words, or Medicare's national lists, are answered
        ("Which modifier is used when a procedure is dangerous to continue?", None),
        ("Which services require prior authorization under Medicare?", None),
        ("How do I bill a CPAP machine?", None),
    ],
)
def test_devices_risks_and_a_payers_exemptions(assistant_, question, topic):
    assert assistant_.answer(question).out_of_scope == topic


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Do I need a degree to be a medical coder?", "careers"),
        ("What degree do I need for medical billing?", "careers"),
        # degrees of an angle, in an operative note, are no schooling
        (
            "The lens was placed at the 170 degree meridian. What code is used for this cataract "
            "surgery?",
            None,
        ),
    ],
)
def test_a_degree_is_schooling_only_when_said_of_schooling(assistant_, question, topic):
    assert assistant_.answer(question).out_of_scope == topic
