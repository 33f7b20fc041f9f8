import { describe, expect, it } from "vitest";
import type { Triage } from "../../src/triage/triage.js";
import { realContent } from "../helpers/content.js";

// Phrase families of data/lexicon/urgent.yaml, read without the learned model (as triage.test.ts does): each danger
// case is missed, and each calm case is a false alarm, without the terms, combinations and `unless` lists it pins.
// Written for these tests, in every language the family is said in; not copied from the labelled files.
let lexiconOnly: Triage | undefined;
const triage = () => (lexiconOnly ??= realContent().content.triage.withoutModel());

const danger: Record<string, string[]> = {
  "suicidal thoughts": [
    "depuis des semaines j'ai des idées noires et je ne mange plus",
    "je pense à en finir, je n'en peux plus",
    "mon cousin dit qu'il veut plus vivre",
    "I have dark thoughts every night since my brother died",
    "sometimes I feel it is better to die",
    "I don't want to see tomorrow",
    "tengo ideas negras desde hace meses",
    "tenho pensamentos negros todos os dias",
    "عندي أفكار سوداء من شحال هادي",
    "حسن ليا نموت على هاد العيشة",
    "sahbi ma kaynoudch mn blasto w kaygoul bgha imout",
    "خايفين عليه يأذي راسو",
    "I'm scared my friend will hurt himself tonight",
  ],
  "kept in, locked in": [
    "the madam lock her inside the house and take her phone",
    "he locks her inside when he goes out",
    "le patron ferme l'atelier le soir avec nous dedans",
    "the boss closes the warehouse with us inside at night",
    "مولات الدار ما كتخلينيش نخرج من الصباح",
    "الكفيل ما كيخليهمش يخرجو من الضيعة",
    "صاحبة البيت لا تسمح لي بالخروج أبدا",
    "أختي قافلين عليها الباب من جمعة",
    "khti msdouda f dar, rajlha ma kay3tihach tilifon",
    "lmadame ma katkhllinich nkhrj mn dar",
    "su marido la encierra en casa todo el día",
    "o marido tranca-a em casa quando sai",
    "lpatron sed 3lina f lhangar b sarout",
    "الباطرون سد علينا فالكراج حتى نكملو الخدمة",
  ],
  "a passport kept, with debt or no going out": [
    "my madam keep my passport and she says I owe her 2000 euros",
    "l'homme garde nos passeports et dit qu'on doit rembourser le voyage",
    "el jefe guarda mi pasaporte y dice que tengo una deuda",
    "المدام شدات ليا الباسبور وكتقول خاصني نخلص الدين",
  ],
  "threats: kidnapping, fire, the door, following": [
    "قالولي رح يخطفوا ابني إذا ما دفعت",
    "gallo lia ghadi ykhtfo wldi",
    "they said they will burn the house if we don't pay",
    "dice que va a quemar la casa esta noche",
    "ameaçou queimar a casa com as crianças dentro",
    "il menace de brûler la maison avec nous",
    "غادي يحرقو علينا الدار هاد الليلة",
    "o meu ex está lá fora a gritar",
    "chi wa7d kaydeg 3la lbab mn nss sa3a",
    "des hommes tapent à la porte depuis une heure",
    "a man tried to pull me into a car near the market",
    "un homme nous suit chaque soir depuis le travail",
    "si je pars il va tué mon fils",
    "she say if I run she will tell the men to find me",
  ],
  "violence now": [
    "ma patronne me frappe avec un bâton",
    "rah chi nas dkhlo 3lina bzz daba",
    "ils ont brûlé nos tentes ce matin et on court",
    "some men attacked us last night and they say they will come back",
  ],
  "labour and waters": [
    "ma femme est enceinte de 9 mois et l'eau coule depuis une heure",
    "mi mujer está embarazada y está saliendo agua",
    "مرتي حاملة والما نزل دابا",
    "my wife is pregnant, since morning pain and now water is coming out",
  ],
  "a baby or child in danger": [
    "the baby does not cry and his body is very soft",
    "el bebé no llora y está azul",
    "بنتي فيها سخونة بزاف وما كتجاوبنيش",
    "weldi s5ona w bda kayrjef",
    "صاحبي بلع حبوب كتير وما عم يحكي",
    "wldi klat dwa dyal lfar",
    "tay7 lih damm mn fommo bzaf",
    "الزلمة عم بيتنفس شوية شوية",
  ],
  "unconscious, confused": [
    "mon frère est dans le coma depuis ce matin",
    "my husband is in a coma since yesterday",
    "o meu pai está em coma",
    "ختي فغيبوبة فالسبيطار",
    "mama ma b9atch kat3rfni",
    "il est diabétique et très confus depuis ce matin",
  ],
  "a minor alone, gone, or given": [
    "un garçon de 15 ans est arrivé hier, seul, il dort à la gare",
    "a girl of 14 years, no family, sleeps in the park",
    "un chico de 16 años, sin familia, duerme en la calle",
    "mon fils 13 ans est pas rentré depuis hier soir",
    "ابنتي عمرها 14 سنة ذهبت للسوق ولم ترجع",
    "I am 16 and I have nowhere to sleep",
    "kayn drari sghar mn mali kaybato kol lila f lgare routiere bo7dhom",
    "بنت خالتي عندها 15 عام وواحد الراجل بغا يتزوجها بزز",
    "rajl kaykhrjha m3a rjal kol lila",
    "rmawna f sa7ra bla lma",
    "رمونا فالصحرا بدون موية",
  ],
  "sexual coercion": ["lmo3allim gal lia khassk tbat m3aya ila bghiti tkhlss"],
};

const calm: Record<string, string[]> = {
  "land or goods sold, not a person": [
    "my brothers want to sell the land of my late father without my signature",
    "الخوت باعوها الأرض ديال الورث بلا ما يقولو ليا",
    "khouti bghaw ybi3ouha, dar dyal lwalid f nador",
    "I want to sell my phone to pay the rent",
  ],
  "a family with children, not a child alone": [
    "estamos solos con tres niños y no tenemos comida",
    "expulsés hier, nos affaires sont dans la rue, on a deux enfants de 4 et 7 ans",
    "je suis à la rue avec mes 3 enfants depuis hier",
    "depuis que j'ai perdu mon petit boulot je n'ai plus rien",
    "mon mari est parti il y a un an, plus de nouvelles, je vis avec ma fille de 3 ans",
  ],
  "said to be past, or harmless words": [
    "Ce n'est pas urgent : j'ai été violée pendant la route, je voudrais parler à une psychologue",
    "البرد كيقتلنا فالزنقة، بغينا غطا",
    "I am tired of this life here, I want to go back home with IOM",
    "3yit mn had l7ayat, bghit nrje3 l bladi",
    "mon père a eu un AVC il y a deux ans, il lui faut un fauteuil roulant",
    "je travaille pour la saison du poisson, je peux continuer mes médicaments là-bas ?",
    "wladi bghaw ydkhlo l madrasa, chno l wra9 li khasshom",
    "je suis enceinte de 4 mois, pas de saignement, mais je vomis beaucoup",
    "my wife lost the pregnancy two weeks ago and she still has pain, where is a free clinic",
    "ma femme a perdu le bébé il y a 3 semaines, elle a encore des douleurs",
  ],
};

describe("urgent phrase families", () => {
  for (const [family, texts] of Object.entries(danger)) {
    describe(family, () => {
      for (const text of texts) it(`urgent: ${text}`, () => expect(triage().analyse(text).urgent).toBe(true));
    });
  }
});

describe("near misses that are not danger now", () => {
  for (const [family, texts] of Object.entries(calm)) {
    describe(family, () => {
      for (const text of texts) it(`calm: ${text}`, () => expect(triage().analyse(text).urgent).toBe(false));
    });
  }
});
