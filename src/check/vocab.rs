//! The built-in vocabularies every case may use without declaring them (RDF, RDFS, OWL, XSD).
//!
//! Other standard vocabularies (PROV-O, schema.org, Dublin Core, ...) count as declared when
//! the ontology declares the terms it reuses, or imports the vocabulary with `owl:imports`.

/// The namespaces of the built-in vocabularies and their terms.
const BUILT_IN: &[(&str, &[&str])] = &[
    (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        &[
            "type",
            "Property",
            "Statement",
            "subject",
            "predicate",
            "object",
            "value",
            "first",
            "rest",
            "nil",
            "List",
            "Bag",
            "Seq",
            "Alt",
            "langString",
            "HTML",
            "XMLLiteral",
            "JSON",
            "dirLangString",
            "reifies",
            "CompoundLiteral",
            "language",
            "direction",
        ],
    ),
    (
        "http://www.w3.org/2000/01/rdf-schema#",
        &[
            "Resource",
            "Class",
            "Literal",
            "Datatype",
            "Container",
            "ContainerMembershipProperty",
            "subClassOf",
            "subPropertyOf",
            "domain",
            "range",
            "label",
            "comment",
            "member",
            "seeAlso",
            "isDefinedBy",
        ],
    ),
    (
        "http://www.w3.org/2002/07/owl#",
        &[
            "Thing",
            "Nothing",
            "Class",
            "Ontology",
            "ObjectProperty",
            "DatatypeProperty",
            "AnnotationProperty",
            "FunctionalProperty",
            "InverseFunctionalProperty",
            "TransitiveProperty",
            "SymmetricProperty",
            "Restriction",
            "NamedIndividual",
            "sameAs",
            "differentFrom",
            "equivalentClass",
            "equivalentProperty",
            "inverseOf",
            "disjointWith",
            "imports",
            "versionInfo",
            "versionIRI",
            "priorVersion",
            "deprecated",
            "onProperty",
            "someValuesFrom",
            "allValuesFrom",
            "hasValue",
            "unionOf",
            "intersectionOf",
            "oneOf",
            "complementOf",
        ],
    ),
];

/// The XSD namespace: every name in it is a datatype; datatypes are not checked as terms.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Whether `iri` is a term of a built-in vocabulary.
pub fn is_built_in(iri: &str) -> bool {
    if iri.starts_with(XSD) {
        return true;
    }
    BUILT_IN.iter().any(|(namespace, terms)| {
        iri.strip_prefix(namespace)
            .is_some_and(|local| terms.contains(&local))
    })
}

/// Every built-in term, as full IRIs (candidates for "did you mean").
pub fn built_in_terms() -> impl Iterator<Item = String> {
    BUILT_IN
        .iter()
        .flat_map(|(namespace, terms)| terms.iter().map(move |local| format!("{namespace}{local}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_terms_are_known_and_misspellings_are_not() {
        assert!(is_built_in("http://www.w3.org/2000/01/rdf-schema#label"));
        assert!(!is_built_in("http://www.w3.org/2000/01/rdf-schema#lable"));
        assert!(is_built_in("http://www.w3.org/2001/XMLSchema#date"));
    }
}
