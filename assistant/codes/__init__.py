"""Codes: finding and classifying them (`classify`), their cards (`cards`), what a question
asks about them (`questions`), ICD-10-CM (`icd`, `icd_index`) and the imported CMS HCPCS file
(`hcpcs`). Reads the core's facts; imports no front end."""
