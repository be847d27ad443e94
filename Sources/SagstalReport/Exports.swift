// The report's languages, number formatting and labels (`ReportLanguage`, `ReportNumberFormatter`,
// `Localizer`) live in SagstalOutput so that the console tables can use them too; importing
// SagstalReport brings them along.
@_exported import SagstalOutput
