// Fake but realistic Norwegian text for the benchmark. About 45 % of the words in real text are a
// few dozen function words ("og", "i", "som"); the rest come from a large vocabulary with a Zipf-like
// skew: some words are everywhere, most are rare. The content vocabulary is a few hundred words of a
// municipal IT blog and the compounds Norwegian makes of them ("barnehage" + "plass"). That mix is
// what makes a full-text search costly or cheap, so it matters more than the words themselves.

const FUNCTION_WORDS = `og i det som på er til en av for at de med ikke har vi kan om var skal seg den men så fra
eller når også sin alle mange nye her hvor bare etter hvis hele mer mye noen andre ble blir et jeg du
han hun oss dem vil må kunne skulle være gjøre dette disse slik både enn mot over under mellom`.split(/\s+/)

const CONTENT_WORDS = `
kommune kommunen kommunens kommunale innbygger innbyggere innbyggerne tjeneste tjenester tjenestene
digital digitale digitalisering løsning løsninger løsningen system systemer systemet prosjekt
prosjektet prosjekter data åpne åpen åpenhet sky skyen skytjenester sikkerhet personvern
skole skolen skoler elever lærer lærere barnehage barnehagen barn foreldre helse helsetjenester
omsorg sykehjem hjemmetjeneste pleie velferd teknologi velferdsteknologi sensor sensorer
økonomi økonomien budsjett budsjettet regnskap innkjøp anskaffelse anskaffelser avtale avtaler
bystyret formannskapet rådmannen kommunedirektør politikk politikere vedtak saken høring høringen
medvirkning dialog samarbeid samhandling nettverk møte møtet møter workshop seminar konferanse
trondheim trøndelag byen bydel nidaros midtbyen heimdal byåsen lade lerkendal strinda
nettside nettsiden portal app appen mobil mobilen skjema skjemaer innlogging bankid altinn
ansatte medarbeidere leder ledere ledelse organisasjon avdeling enhet enheten kompetanse kurs
opplæring erfaring erfaringer læring deling kunnskap innovasjon gevinster gevinst effekt
kvalitet tid penger kostnader ressurser behov brukere brukerne bruker brukeren opplevelse
sosiale medier facebook twitter instagram video blogg bloggen innlegg kommentar kommentarer
oppdatering nyhet nyheter informasjon kommunikasjon publisering redaksjon artikkel tekst bilde
bilder film presentasjon rapport rapporten analyse statistikk undersøkelse resultat resultater
strategi plan planen mål målene tiltak tiltakene prioritering fremtid framtid visjon retning
klima miljø energi transport kollektiv buss trafikk vei gate sykkel parkering bolig boliger
vann avløp renovasjon avfall gjenvinning brann beredskap kart geodata adresse eiendom
ærlig ærlighet årlig årsrapport åpent ønske ønsker øke økning ære særlig større største første
nå få gå stå må små ser tror vet synes mener gjort sagt bra god gode viktig viktige enkel enkelt
vanskelig stor store liten lite nytt gammel gamle kafé idé kontakt prosess prosessen rutine
rutiner endring endringer utvikling utviklingen`.split(/\s+/).filter(Boolean)

const SUFFIXES = ['plass', 'tjeneste', 'system', 'prosjekt', 'arbeid', 'plan', 'modell', 'leder', 'gruppe', 'løsning',
  'data', 'rapport', 'avtale', 'portal', 'kurs', 'møte', 'strategi', 'tilbud', 'senter', 'kontor', 'team', 'nettverk']

const SYLLABLES = ['ba', 'be', 'bro', 'da', 'dal', 'en', 'fjel', 'gar', 'ha', 'hei', 'kar', 'ke', 'kvi', 'la', 'lin', 'ma',
  'mo', 'na', 'nes', 'ol', 'pe', 'ra', 'rud', 'sa', 'sel', 'sto', 'ta', 'tun', 've', 'vik', 'ø', 'å', 'æ', 'sk', 'ing', 'ert']

/** A deterministic pseudo-random generator (mulberry32), so every run seeds the same data. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class TextMaker {
  /** Content words, the most frequent first. */
  readonly vocabulary: string[]
  private readonly rnd: () => number

  constructor(seed = 42) {
    this.rnd = random(seed)
    const base = [...new Set(CONTENT_WORDS)]
    // A real word forms some dozens of compounds, not hundreds: a few suffixes and other words each.
    const rare: string[] = []
    for (const w of base) {
      if (w.length <= 4) continue
      for (let i = 0; i < 6; i++) rare.push(w + SUFFIXES[this.int(SUFFIXES.length)]!)
      for (let i = 0; i < 6; i++) rare.push(w + base[this.int(base.length)]!)
    }
    // The long tail: names, jargon, typos — words that share no prefix with anything in particular.
    for (let i = 0; i < 40_000; i++) {
      let w = ''
      for (let n = 2 + this.int(3); n > 0; n--) w += SYLLABLES[this.int(SYLLABLES.length)]
      rare.push(w)
    }
    for (let i = rare.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      ;[rare[i], rare[j]] = [rare[j]!, rare[i]!]
    }
    this.vocabulary = [...new Set([...base, ...rare])]
  }

  int(max: number): number {
    return Math.floor(this.rnd() * max)
  }

  /** A rank 0…n-1, drawn with probability ~ 1/(rank + flat) (Zipf-like, flattened at the top). */
  rank(n: number, flat = 10): number {
    const low = Math.log(flat)
    const r = Math.floor(Math.exp(low + this.rnd() * (Math.log(n + flat) - low)) - flat)
    return Math.max(0, Math.min(n - 1, r))
  }

  word(): string {
    if (this.rnd() < 0.45) return FUNCTION_WORDS[this.rank(FUNCTION_WORDS.length, 3)]!
    return this.vocabulary[this.rank(this.vocabulary.length, 50)]!
  }

  words(count: number): string[] {
    const out = new Array<string>(count)
    for (let i = 0; i < count; i++) out[i] = this.word()
    return out
  }

  sentence(count: number): string {
    const w = this.words(count)
    w[0] = w[0]!.charAt(0).toUpperCase() + w[0]!.slice(1)
    return `${w.join(' ')}.`
  }
}
